-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 7: remote variants a pull saw but could not link
-- (no local variant has their SKU or barcode). The merchant links each to a
-- local variant, imports it as a new local product, or ignores it. A row
-- goes away as soon as its remote variant is linked, however that happens
-- (a later pull matching it, a manual link, an import). Runs inside one
-- transaction.

CREATE TABLE remote_variants (
  id                  INTEGER PRIMARY KEY,
  channel_id          INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  remote_variant_id   TEXT NOT NULL CHECK (length (remote_variant_id) BETWEEN 1 AND 255),
  remote_product_id   TEXT,
  remote_inventory_id TEXT,
  sku                 TEXT,
  barcode             TEXT,
  product_title       TEXT,
  title               TEXT,              -- the variant's own title (its option values)
  price               INTEGER CHECK (price IS NULL OR price >= 0),   -- minor units
  currency            TEXT,
  state               TEXT NOT NULL DEFAULT 'unmatched'
                      CHECK (state IN ('unmatched', 'ignored')),
  first_seen_at       TEXT NOT NULL,
  last_seen_at        TEXT NOT NULL,
  UNIQUE (channel_id, remote_variant_id)
) STRICT;

CREATE INDEX remote_variants_channel_state ON remote_variants (channel_id, state, sku);

CREATE TRIGGER channel_links_clear_remote_insert AFTER INSERT ON channel_links
BEGIN
  DELETE FROM remote_variants
  WHERE channel_id = NEW.channel_id AND remote_variant_id = NEW.remote_variant_id;
END;

CREATE TRIGGER channel_links_clear_remote_update
AFTER UPDATE OF remote_variant_id ON channel_links
BEGIN
  DELETE FROM remote_variants
  WHERE channel_id = NEW.channel_id AND remote_variant_id = NEW.remote_variant_id;
END;

-- An imported variant starts with no local stock, and the channel's stock is
-- what the merchant has: the first remote level a pull records for it at a
-- mapped location becomes its opening stock there (one `sync` movement with
-- the channel as source, so it is not echoed back), instead of the pull
-- pushing the empty local quantity over the remote one. A variant the
-- merchant linked by hand keeps its local stock, which the channel follows.
CREATE TRIGGER channel_levels_import_opening AFTER INSERT ON channel_levels
WHEN NEW.quantity > 0
BEGIN
  INSERT INTO movements (op_id, operation, variant_id, location_id, on_hand_delta,
                         reason, source, reference, note, actor, created_at)
  SELECT 'sync:' || NEW.channel_id || ':import:' || NEW.variant_id || ':' || cl.location_id,
         'sync:' || NEW.channel_id || ':import:' || NEW.variant_id,
         NEW.variant_id, cl.location_id, NEW.quantity,
         'sync', 'channel:' || NEW.channel_id, c.name,
         'Imported variant: opening stock taken from the channel', 'sync', NEW.updated_at
  FROM channel_links l
  JOIN channels c ON c.id = l.channel_id
  JOIN channel_locations cl
    ON cl.channel_id = NEW.channel_id AND cl.remote_id = NEW.remote_location_id
   AND cl.active = 1 AND cl.location_id IS NOT NULL
  WHERE l.channel_id = NEW.channel_id AND l.variant_id = NEW.variant_id
    AND l.linked_by = 'import'
    AND NOT EXISTS (SELECT 1 FROM movements m
                    WHERE m.variant_id = NEW.variant_id AND m.location_id = cl.location_id);
END;
