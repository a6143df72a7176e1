/* omni-stat-tile.h: one figure on the dashboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OMNI_TYPE_STAT_TILE (omni_stat_tile_get_type ())
G_DECLARE_FINAL_TYPE (OmniStatTile, omni_stat_tile, OMNI, STAT_TILE, AdwBin)

const char *omni_stat_tile_get_title (OmniStatTile *self);
void        omni_stat_tile_set_title (OmniStatTile *self,
                                      const char   *title);
const char *omni_stat_tile_get_value (OmniStatTile *self);
void        omni_stat_tile_set_value (OmniStatTile *self,
                                      const char   *value);
const char *omni_stat_tile_get_detail (OmniStatTile *self);
void        omni_stat_tile_set_detail (OmniStatTile *self,
                                       const char   *detail);

G_END_DECLS
