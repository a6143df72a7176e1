-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 2: what the channel pusher needs on top of the
-- version 1 channel tables. Runs inside one transaction.

-- The quantity last seen (pulled or successfully pushed) for each linked
-- variant at each remote location: the compare-and-set value a push sends as
-- "change from", so a remote change made meanwhile is detected, not
-- overwritten.
CREATE TABLE channel_levels (
  channel_id         INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  variant_id         INTEGER NOT NULL REFERENCES variants (id),
  remote_location_id TEXT NOT NULL,
  quantity           INTEGER NOT NULL,
  updated_at         TEXT NOT NULL,
  PRIMARY KEY (channel_id, variant_id, remote_location_id)
) STRICT, WITHOUT ROWID;

-- A local location receives the stock of at most one remote location per
-- channel, so one local quantity is never pushed to two places.
CREATE UNIQUE INDEX channel_locations_local ON channel_locations (channel_id, location_id)
  WHERE location_id IS NOT NULL;

CREATE INDEX channel_links_inventory ON channel_links (channel_id, remote_inventory_id);
CREATE INDEX outbox_channel_due ON outbox (channel_id, state, next_attempt_at);

-- Every movement of a linked variant at a mapped location enqueues a push in
-- the statement that records it, hence in the same transaction. An entry not
-- yet claimed (payload still '{}') already covers later movements: the
-- quantity is read when the pusher claims it. Movements that a channel's own
-- pull recorded (source 'channel:ID') are not echoed back to that channel.
CREATE TRIGGER movements_enqueue_push AFTER INSERT ON movements
BEGIN
  INSERT INTO outbox (op_id, channel_id, variant_id, location_id, kind,
                      created_at, updated_at)
  SELECT 'push:' || l.channel_id || ':' || lower (hex (randomblob (16))),
         l.channel_id, NEW.variant_id, NEW.location_id, 'set_quantity',
         NEW.created_at, NEW.created_at
  FROM channel_links l
  JOIN channel_locations cl
    ON cl.channel_id = l.channel_id AND cl.location_id = NEW.location_id AND cl.active = 1
  WHERE l.variant_id = NEW.variant_id
    AND l.remote_inventory_id IS NOT NULL
    AND NEW.source IS NOT ('channel:' || l.channel_id)
    AND NOT EXISTS (SELECT 1 FROM outbox o
                    WHERE o.channel_id = l.channel_id AND o.variant_id = NEW.variant_id
                      AND o.location_id = NEW.location_id
                      AND o.state = 'pending' AND o.payload = '{}');
END;
