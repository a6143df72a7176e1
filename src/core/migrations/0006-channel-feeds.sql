-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 6: locations that feed a channel. A channel with
-- one remote location (Amazon, eBay) may publish the available stock summed
-- over several local locations, chosen in its sync settings
-- (channels.settings -> '$.sync.locations', local location ids). A movement
-- at any of them must queue a push to the remote location, which the
-- version 2 trigger only did for the one mapped local location. Shopify
-- keeps publishing each mapped location on its own. Runs inside one
-- transaction.

DROP TRIGGER movements_enqueue_push;

-- Every movement of a linked variant at a mapped or feeding location
-- enqueues a push (on the entry of the mapped local location) in the
-- statement that records it, hence in the same transaction. An entry not yet
-- claimed (payload still '{}') already covers later movements: the quantity
-- is read when the pusher claims it. Movements that a channel's own pull
-- recorded (source 'channel:ID') are not echoed back to that channel.
CREATE TRIGGER movements_enqueue_push AFTER INSERT ON movements
BEGIN
  INSERT INTO outbox (op_id, channel_id, variant_id, location_id, kind,
                      created_at, updated_at)
  SELECT 'push:' || l.channel_id || ':' || lower (hex (randomblob (16))),
         l.channel_id, NEW.variant_id, cl.location_id, 'set_quantity',
         NEW.created_at, NEW.created_at
  FROM channel_links l
  JOIN channels c ON c.id = l.channel_id
  JOIN channel_locations cl
    ON cl.channel_id = l.channel_id AND cl.active = 1 AND cl.location_id IS NOT NULL
   AND (cl.location_id = NEW.location_id
        OR (c.platform <> 'shopify'
            AND EXISTS (SELECT 1 FROM json_each (c.settings, '$.sync.locations') f
                        WHERE f.value = NEW.location_id)))
  WHERE l.variant_id = NEW.variant_id
    AND l.remote_inventory_id IS NOT NULL
    AND NEW.source IS NOT ('channel:' || l.channel_id)
    AND NOT EXISTS (SELECT 1 FROM outbox o
                    WHERE o.channel_id = l.channel_id AND o.variant_id = NEW.variant_id
                      AND o.location_id = cl.location_id
                      AND o.state = 'pending' AND o.payload = '{}');
END;
