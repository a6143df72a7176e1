/* omni-count-review.h: the totals and variances before a count is committed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "omni-count-model.h"

G_BEGIN_DECLS

#define OMNI_TYPE_COUNT_REVIEW (omni_count_review_get_type ())
G_DECLARE_FINAL_TYPE (OmniCountReview, omni_count_review, OMNI, COUNT_REVIEW, GtkWidget)

GtkWidget  *omni_count_review_new                (void);
void        omni_count_review_set_model          (OmniCountReview *self,
                                                  OmniCountModel  *model);
void        omni_count_review_refresh            (OmniCountReview *self,
                                                  const char      *currency,
                                                  const char      *subtitle);
void        omni_count_review_set_busy           (OmniCountReview *self,
                                                  const char      *message);
GListModel *omni_count_review_get_variance_lines (OmniCountReview *self);
void        omni_count_review_focus_back         (OmniCountReview *self);

G_END_DECLS
