-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 4: aggregates kept by triggers, so the dashboard
-- reads a handful of rows whatever the size of the catalog. Runs inside one
-- transaction and fills the new tables from the existing rows.
--
-- Every figure is an exact integer sum of per-row terms, and every trigger
-- adds a row's new terms and subtracts its old ones in the statement that
-- changed it. omni_store_check_ledger() recomputes them all and compares.

-- Stock figures of active variants (variant not archived, product not
-- archived) in total (grouping 'total', label '') and per product type and
-- per vendor. `products` counts the products that are not archived.
CREATE TABLE stock_aggregates (
  grouping     TEXT NOT NULL CHECK (grouping IN ('total', 'product_type', 'vendor')),
  label        TEXT NOT NULL,
  products     INTEGER NOT NULL DEFAULT 0,
  variants     INTEGER NOT NULL DEFAULT 0,
  units        INTEGER NOT NULL DEFAULT 0,   -- on hand, negative counted as 0
  cost_value   INTEGER NOT NULL DEFAULT 0,   -- units × cost
  retail_value INTEGER NOT NULL DEFAULT 0,   -- units × price
  out_of_stock INTEGER NOT NULL DEFAULT 0,   -- available <= 0
  low_stock    INTEGER NOT NULL DEFAULT 0,   -- 0 < available <= reorder point
  due          INTEGER NOT NULL DEFAULT 0,   -- available <= reorder point
  PRIMARY KEY (grouping, label)
) STRICT, WITHOUT ROWID;

-- Row counts that count(*) would get by reading a whole table.
CREATE TABLE table_counts (
  name TEXT PRIMARY KEY,
  n    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Units and revenue net of refunds per UTC day and channel (0: the shop),
-- from orders that are not cancelled; `orders` counts orders with lines.
CREATE TABLE sales_daily (
  day        TEXT NOT NULL,
  channel_id INTEGER NOT NULL,
  units      INTEGER NOT NULL DEFAULT 0,
  revenue    INTEGER NOT NULL DEFAULT 0,
  orders     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, channel_id)
) STRICT, WITHOUT ROWID;

-- The slow movers: in-stock active variants by money tied up.
CREATE INDEX variants_idle_value ON variants (available * ifnull (cost, 0))
  WHERE archived = 0 AND available > 0;

-- A variant's sales over a recent window, read from the index alone.
CREATE INDEX movements_variant_time
  ON movements (variant_id, created_at, reason, on_hand_delta);

-- What is due for reordering, by index: reorder_at is the reorder point in
-- force (the variant's, else the shop default), last_sold_at the time of the
-- latest sale. Only due variants are in the two partial indexes, so the
-- dashboard reads the due ones that sold lately, then the lowest, and no
-- others.
ALTER TABLE variants ADD COLUMN reorder_at INTEGER;
ALTER TABLE variants ADD COLUMN last_sold_at TEXT;

UPDATE variants SET reorder_at = coalesce (reorder_point, (SELECT CAST (value AS INTEGER) FROM settings
                  WHERE key = 'default_reorder_point' AND value <> ''));
UPDATE variants SET last_sold_at = s.at
  FROM (SELECT variant_id, max (created_at) AS at FROM movements
        WHERE reason = 'sold' GROUP BY variant_id) s
  WHERE s.variant_id = variants.id;

CREATE INDEX variants_due ON variants (available)
  WHERE archived = 0 AND available <= reorder_at;
CREATE INDEX variants_due_sold ON variants (last_sold_at)
  WHERE archived = 0 AND available <= reorder_at;

CREATE TRIGGER variants_reorder_at_insert AFTER INSERT ON variants
BEGIN
  UPDATE variants SET reorder_at = coalesce (NEW.reorder_point, (SELECT CAST (value AS INTEGER) FROM settings
                  WHERE key = 'default_reorder_point' AND value <> ''))
  WHERE id = NEW.id;
END;

CREATE TRIGGER variants_reorder_at_update AFTER UPDATE OF reorder_point ON variants
BEGIN
  UPDATE variants SET reorder_at = coalesce (NEW.reorder_point, (SELECT CAST (value AS INTEGER) FROM settings
                  WHERE key = 'default_reorder_point' AND value <> ''))
  WHERE id = NEW.id;
END;

CREATE TRIGGER movements_last_sold AFTER INSERT ON movements
WHEN NEW.reason = 'sold'
BEGIN
  UPDATE variants SET last_sold_at = NEW.created_at
  WHERE id = NEW.variant_id AND (last_sold_at IS NULL OR last_sold_at < NEW.created_at);
END;

-- What the figures are, recomputed from the rows: one row per product with
-- the sums over its active variants, and the groups built from them. The
-- backfill below and the check read these.
CREATE VIEW product_stock_terms AS
  SELECT p.id AS product_id, p.product_type AS product_type, p.vendor AS vendor,
         p.status <> 'archived' AS live,
         count (v.id) AS variants,
         ifnull (sum (max (v.on_hand, 0)), 0) AS units,
         ifnull (sum (max (v.on_hand, 0) * ifnull (v.cost, 0)), 0) AS cost_value,
         ifnull (sum (max (v.on_hand, 0) * v.price), 0) AS retail_value,
         ifnull (sum (v.available <= 0), 0) AS out_of_stock,
         ifnull (sum (v.available > 0 AND ifnull (v.available <= coalesce (v.reorder_point,
                  (SELECT CAST (value AS INTEGER) FROM settings
                   WHERE key = 'default_reorder_point' AND value <> '')), 0)), 0) AS low_stock,
         ifnull (sum (ifnull (v.available <= coalesce (v.reorder_point,
                  (SELECT CAST (value AS INTEGER) FROM settings
                   WHERE key = 'default_reorder_point' AND value <> '')), 0)), 0) AS due
  FROM products p LEFT JOIN variants v ON v.product_id = p.id AND v.archived = 0
  GROUP BY p.id;

CREATE VIEW stock_aggregates_expected AS
  SELECT 'total' AS grouping, '' AS label, sum (live) AS products,
         sum (live * variants) AS variants, sum (live * units) AS units,
         sum (live * cost_value) AS cost_value, sum (live * retail_value) AS retail_value,
         sum (live * out_of_stock) AS out_of_stock, sum (live * low_stock) AS low_stock,
         sum (live * due) AS due
  FROM product_stock_terms
  UNION ALL
  SELECT 'product_type', product_type, sum (live), sum (live * variants), sum (live * units),
         sum (live * cost_value), sum (live * retail_value), sum (live * out_of_stock),
         sum (live * low_stock), sum (live * due)
  FROM product_stock_terms GROUP BY product_type
  UNION ALL
  SELECT 'vendor', vendor, sum (live), sum (live * variants), sum (live * units),
         sum (live * cost_value), sum (live * retail_value), sum (live * out_of_stock),
         sum (live * low_stock), sum (live * due)
  FROM product_stock_terms GROUP BY vendor;

CREATE VIEW sales_daily_expected AS
  SELECT substr (o.placed_at, 1, 10) AS day, ifnull (o.channel_id, 0) AS channel_id,
         sum (ol.quantity - ol.refunded) AS units,
         sum ((ol.quantity - ol.refunded) * ol.price) AS revenue,
         count (DISTINCT o.id) AS orders
  FROM order_lines ol JOIN orders o ON o.id = ol.order_id
  WHERE o.status <> 'cancelled'
  GROUP BY 1, 2;

-- Backfill.
INSERT INTO stock_aggregates (grouping, label, products, variants, units, cost_value,
                              retail_value, out_of_stock, low_stock, due)
  SELECT grouping, label, ifnull (products, 0), ifnull (variants, 0), ifnull (units, 0),
         ifnull (cost_value, 0), ifnull (retail_value, 0), ifnull (out_of_stock, 0),
         ifnull (low_stock, 0), ifnull (due, 0)
  FROM stock_aggregates_expected WHERE true
  ON CONFLICT DO NOTHING;
INSERT OR IGNORE INTO stock_aggregates (grouping, label) VALUES ('total', '');

INSERT INTO table_counts (name, n) SELECT 'orders', count(*) FROM orders;

INSERT INTO sales_daily (day, channel_id, units, revenue, orders)
  SELECT day, channel_id, units, revenue, orders FROM sales_daily_expected;

-- Variants ------------------------------------------------------------------

-- A variant's terms, written out for NEW and OLD: a trigger has no functions.
-- The default reorder point applies where the variant sets none.

CREATE TRIGGER variants_aggregate_insert AFTER INSERT ON variants
BEGIN
  UPDATE stock_aggregates SET
    variants = variants + (NEW.archived = 0),
    units = units + (NEW.archived = 0) * max (NEW.on_hand, 0),
    cost_value = cost_value + (NEW.archived = 0) * max (NEW.on_hand, 0) * ifnull (NEW.cost, 0),
    retail_value = retail_value + (NEW.archived = 0) * max (NEW.on_hand, 0) * NEW.price,
    out_of_stock = out_of_stock + (NEW.archived = 0 AND NEW.available <= 0),
    low_stock = low_stock + (NEW.archived = 0 AND NEW.available > 0
      AND ifnull (NEW.available <= coalesce (NEW.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0)),
    due = due + (NEW.archived = 0
      AND ifnull (NEW.available <= coalesce (NEW.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0))
  FROM products p
  WHERE p.id = NEW.product_id AND p.status <> 'archived'
    AND ((grouping = 'total' AND label = '')
         OR (grouping = 'product_type' AND label = p.product_type)
         OR (grouping = 'vendor' AND label = p.vendor));
END;

CREATE TRIGGER variants_aggregate_delete AFTER DELETE ON variants
BEGIN
  UPDATE stock_aggregates SET
    variants = variants - (OLD.archived = 0),
    units = units - (OLD.archived = 0) * max (OLD.on_hand, 0),
    cost_value = cost_value - (OLD.archived = 0) * max (OLD.on_hand, 0) * ifnull (OLD.cost, 0),
    retail_value = retail_value - (OLD.archived = 0) * max (OLD.on_hand, 0) * OLD.price,
    out_of_stock = out_of_stock - (OLD.archived = 0 AND OLD.available <= 0),
    low_stock = low_stock - (OLD.archived = 0 AND OLD.available > 0
      AND ifnull (OLD.available <= coalesce (OLD.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0)),
    due = due - (OLD.archived = 0
      AND ifnull (OLD.available <= coalesce (OLD.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0))
  FROM products p
  WHERE p.id = OLD.product_id AND p.status <> 'archived'
    AND ((grouping = 'total' AND label = '')
         OR (grouping = 'product_type' AND label = p.product_type)
         OR (grouping = 'vendor' AND label = p.vendor));
END;

-- The common case, every movement: the same product, new terms minus old.
CREATE TRIGGER variants_aggregate_update
AFTER UPDATE OF on_hand, available, cost, price, archived, reorder_point ON variants
WHEN OLD.product_id = NEW.product_id
  AND (OLD.on_hand <> NEW.on_hand OR OLD.available <> NEW.available
       OR OLD.cost IS NOT NEW.cost OR OLD.price <> NEW.price
       OR OLD.archived <> NEW.archived OR OLD.reorder_point IS NOT NEW.reorder_point)
BEGIN
  UPDATE stock_aggregates SET
    variants = variants + (NEW.archived = 0) - (OLD.archived = 0),
    units = units + (NEW.archived = 0) * max (NEW.on_hand, 0)
                  - (OLD.archived = 0) * max (OLD.on_hand, 0),
    cost_value = cost_value + (NEW.archived = 0) * max (NEW.on_hand, 0) * ifnull (NEW.cost, 0)
                            - (OLD.archived = 0) * max (OLD.on_hand, 0) * ifnull (OLD.cost, 0),
    retail_value = retail_value + (NEW.archived = 0) * max (NEW.on_hand, 0) * NEW.price
                                - (OLD.archived = 0) * max (OLD.on_hand, 0) * OLD.price,
    out_of_stock = out_of_stock + (NEW.archived = 0 AND NEW.available <= 0)
                                - (OLD.archived = 0 AND OLD.available <= 0),
    low_stock = low_stock
      + (NEW.archived = 0 AND NEW.available > 0
         AND ifnull (NEW.available <= coalesce (NEW.reorder_point,
           (SELECT CAST (value AS INTEGER) FROM settings
            WHERE key = 'default_reorder_point' AND value <> '')), 0))
      - (OLD.archived = 0 AND OLD.available > 0
         AND ifnull (OLD.available <= coalesce (OLD.reorder_point,
           (SELECT CAST (value AS INTEGER) FROM settings
            WHERE key = 'default_reorder_point' AND value <> '')), 0)),
    due = due
      + (NEW.archived = 0
         AND ifnull (NEW.available <= coalesce (NEW.reorder_point,
           (SELECT CAST (value AS INTEGER) FROM settings
            WHERE key = 'default_reorder_point' AND value <> '')), 0))
      - (OLD.archived = 0
         AND ifnull (OLD.available <= coalesce (OLD.reorder_point,
           (SELECT CAST (value AS INTEGER) FROM settings
            WHERE key = 'default_reorder_point' AND value <> '')), 0))
  FROM products p
  WHERE p.id = NEW.product_id AND p.status <> 'archived'
    AND ((grouping = 'total' AND label = '')
         OR (grouping = 'product_type' AND label = p.product_type)
         OR (grouping = 'vendor' AND label = p.vendor));
END;

-- A variant moved to another product: out of the old groups, into the new.
CREATE TRIGGER variants_aggregate_move AFTER UPDATE OF product_id ON variants
WHEN OLD.product_id <> NEW.product_id
BEGIN
  UPDATE stock_aggregates SET
    variants = variants - (OLD.archived = 0),
    units = units - (OLD.archived = 0) * max (OLD.on_hand, 0),
    cost_value = cost_value - (OLD.archived = 0) * max (OLD.on_hand, 0) * ifnull (OLD.cost, 0),
    retail_value = retail_value - (OLD.archived = 0) * max (OLD.on_hand, 0) * OLD.price,
    out_of_stock = out_of_stock - (OLD.archived = 0 AND OLD.available <= 0),
    low_stock = low_stock - (OLD.archived = 0 AND OLD.available > 0
      AND ifnull (OLD.available <= coalesce (OLD.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0)),
    due = due - (OLD.archived = 0
      AND ifnull (OLD.available <= coalesce (OLD.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0))
  FROM products p
  WHERE p.id = OLD.product_id AND p.status <> 'archived'
    AND ((grouping = 'total' AND label = '')
         OR (grouping = 'product_type' AND label = p.product_type)
         OR (grouping = 'vendor' AND label = p.vendor));
  UPDATE stock_aggregates SET
    variants = variants + (NEW.archived = 0),
    units = units + (NEW.archived = 0) * max (NEW.on_hand, 0),
    cost_value = cost_value + (NEW.archived = 0) * max (NEW.on_hand, 0) * ifnull (NEW.cost, 0),
    retail_value = retail_value + (NEW.archived = 0) * max (NEW.on_hand, 0) * NEW.price,
    out_of_stock = out_of_stock + (NEW.archived = 0 AND NEW.available <= 0),
    low_stock = low_stock + (NEW.archived = 0 AND NEW.available > 0
      AND ifnull (NEW.available <= coalesce (NEW.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0)),
    due = due + (NEW.archived = 0
      AND ifnull (NEW.available <= coalesce (NEW.reorder_point,
        (SELECT CAST (value AS INTEGER) FROM settings
         WHERE key = 'default_reorder_point' AND value <> '')), 0))
  FROM products p
  WHERE p.id = NEW.product_id AND p.status <> 'archived'
    AND ((grouping = 'total' AND label = '')
         OR (grouping = 'product_type' AND label = p.product_type)
         OR (grouping = 'vendor' AND label = p.vendor));
END;

-- Products ------------------------------------------------------------------

CREATE TRIGGER products_aggregate_insert AFTER INSERT ON products
BEGIN
  INSERT OR IGNORE INTO stock_aggregates (grouping, label)
    VALUES ('product_type', NEW.product_type), ('vendor', NEW.vendor);
  UPDATE stock_aggregates SET products = products + (NEW.status <> 'archived')
  WHERE (grouping = 'total' AND label = '')
     OR (grouping = 'product_type' AND label = NEW.product_type)
     OR (grouping = 'vendor' AND label = NEW.vendor);
END;

-- Archiving, restoring or regrouping a product moves the sums of its
-- variants (read through the per-product view) between groups.
CREATE TRIGGER products_aggregate_update AFTER UPDATE OF status, product_type, vendor ON products
WHEN OLD.status IS NOT NEW.status OR OLD.product_type IS NOT NEW.product_type
  OR OLD.vendor IS NOT NEW.vendor
BEGIN
  INSERT OR IGNORE INTO stock_aggregates (grouping, label)
    VALUES ('product_type', NEW.product_type), ('vendor', NEW.vendor);
  UPDATE stock_aggregates SET
    products = stock_aggregates.products - 1, variants = stock_aggregates.variants - t.variants, units = stock_aggregates.units - t.units,
    cost_value = stock_aggregates.cost_value - t.cost_value, retail_value = stock_aggregates.retail_value - t.retail_value,
    out_of_stock = stock_aggregates.out_of_stock - t.out_of_stock, low_stock = stock_aggregates.low_stock - t.low_stock,
    due = stock_aggregates.due - t.due
  FROM product_stock_terms t
  WHERE t.product_id = NEW.id AND OLD.status <> 'archived'
    AND ((stock_aggregates.grouping = 'total' AND stock_aggregates.label = '')
         OR (stock_aggregates.grouping = 'product_type' AND stock_aggregates.label = OLD.product_type)
         OR (stock_aggregates.grouping = 'vendor' AND stock_aggregates.label = OLD.vendor));
  UPDATE stock_aggregates SET
    products = stock_aggregates.products + 1, variants = stock_aggregates.variants + t.variants, units = stock_aggregates.units + t.units,
    cost_value = stock_aggregates.cost_value + t.cost_value, retail_value = stock_aggregates.retail_value + t.retail_value,
    out_of_stock = stock_aggregates.out_of_stock + t.out_of_stock, low_stock = stock_aggregates.low_stock + t.low_stock,
    due = stock_aggregates.due + t.due
  FROM product_stock_terms t
  WHERE t.product_id = NEW.id AND NEW.status <> 'archived'
    AND ((stock_aggregates.grouping = 'total' AND stock_aggregates.label = '')
         OR (stock_aggregates.grouping = 'product_type' AND stock_aggregates.label = NEW.product_type)
         OR (stock_aggregates.grouping = 'vendor' AND stock_aggregates.label = NEW.vendor));
  -- A group left with nothing in it goes; the check ignores all-zero rows.
  DELETE FROM stock_aggregates
  WHERE ((grouping = 'product_type' AND label = OLD.product_type)
         OR (grouping = 'vendor' AND label = OLD.vendor))
    AND products = 0 AND variants = 0 AND units = 0 AND cost_value = 0
    AND retail_value = 0 AND out_of_stock = 0 AND low_stock = 0 AND due = 0;
END;

CREATE TRIGGER products_aggregate_delete AFTER DELETE ON products
BEGIN
  UPDATE stock_aggregates SET products = products - (OLD.status <> 'archived')
  WHERE (grouping = 'total' AND label = '')
     OR (grouping = 'product_type' AND label = OLD.product_type)
     OR (grouping = 'vendor' AND label = OLD.vendor);
END;

-- The shop's default reorder point decides low stock for every variant
-- without its own: a change recounts (rare, so a full pass is fine).
CREATE TRIGGER settings_aggregate_insert AFTER INSERT ON settings
WHEN NEW.key = 'default_reorder_point'
BEGIN
  UPDATE variants SET reorder_at = (SELECT CAST (value AS INTEGER) FROM settings
                  WHERE key = 'default_reorder_point' AND value <> '')
  WHERE reorder_point IS NULL;
  UPDATE stock_aggregates SET low_stock = ifnull (e.low_stock, 0), due = ifnull (e.due, 0)
  FROM stock_aggregates_expected e
  WHERE e.grouping = stock_aggregates.grouping AND e.label = stock_aggregates.label;
END;

CREATE TRIGGER settings_aggregate_update AFTER UPDATE OF value ON settings
WHEN NEW.key = 'default_reorder_point' AND OLD.value IS NOT NEW.value
BEGIN
  UPDATE variants SET reorder_at = (SELECT CAST (value AS INTEGER) FROM settings
                  WHERE key = 'default_reorder_point' AND value <> '')
  WHERE reorder_point IS NULL;
  UPDATE stock_aggregates SET low_stock = ifnull (e.low_stock, 0), due = ifnull (e.due, 0)
  FROM stock_aggregates_expected e
  WHERE e.grouping = stock_aggregates.grouping AND e.label = stock_aggregates.label;
END;

CREATE TRIGGER settings_aggregate_delete AFTER DELETE ON settings
WHEN OLD.key = 'default_reorder_point'
BEGIN
  UPDATE variants SET reorder_at = (SELECT CAST (value AS INTEGER) FROM settings
                  WHERE key = 'default_reorder_point' AND value <> '')
  WHERE reorder_point IS NULL;
  UPDATE stock_aggregates SET low_stock = ifnull (e.low_stock, 0), due = ifnull (e.due, 0)
  FROM stock_aggregates_expected e
  WHERE e.grouping = stock_aggregates.grouping AND e.label = stock_aggregates.label;
END;

-- Orders ----------------------------------------------------------------------

CREATE TRIGGER orders_count_insert AFTER INSERT ON orders
BEGIN
  UPDATE table_counts SET n = n + 1 WHERE name = 'orders';
END;

-- Before the row goes: its lines, deleted by the cascade afterwards, no
-- longer find their order and leave the sums alone.
CREATE TRIGGER orders_aggregate_delete BEFORE DELETE ON orders
BEGIN
  UPDATE table_counts SET n = n - 1 WHERE name = 'orders';
  UPDATE sales_daily SET
    units = sales_daily.units - s.units, revenue = sales_daily.revenue - s.revenue, orders = sales_daily.orders - 1
  FROM (SELECT sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = OLD.id HAVING count(*) > 0) s
  WHERE OLD.status <> 'cancelled'
    AND sales_daily.day = substr (OLD.placed_at, 1, 10) AND sales_daily.channel_id = ifnull (OLD.channel_id, 0);
END;

CREATE TRIGGER orders_aggregate_update AFTER UPDATE OF status, placed_at, channel_id ON orders
WHEN OLD.status IS NOT NEW.status OR OLD.placed_at IS NOT NEW.placed_at
  OR OLD.channel_id IS NOT NEW.channel_id
BEGIN
  UPDATE sales_daily SET
    units = sales_daily.units - s.units, revenue = sales_daily.revenue - s.revenue, orders = sales_daily.orders - 1
  FROM (SELECT sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = NEW.id HAVING count(*) > 0) s
  WHERE OLD.status <> 'cancelled'
    AND sales_daily.day = substr (OLD.placed_at, 1, 10) AND sales_daily.channel_id = ifnull (OLD.channel_id, 0);
  INSERT INTO sales_daily (day, channel_id, units, revenue, orders)
    SELECT substr (NEW.placed_at, 1, 10), ifnull (NEW.channel_id, 0),
           sum (quantity - refunded), sum ((quantity - refunded) * price), 1
    FROM order_lines WHERE order_id = NEW.id AND NEW.status <> 'cancelled'
    HAVING count(*) > 0
  ON CONFLICT (day, channel_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue,
    orders = orders + excluded.orders;
END;

CREATE TRIGGER order_lines_aggregate_insert AFTER INSERT ON order_lines
BEGIN
  INSERT INTO sales_daily (day, channel_id, units, revenue, orders)
    SELECT substr (o.placed_at, 1, 10), ifnull (o.channel_id, 0),
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price,
           NOT EXISTS (SELECT 1 FROM order_lines
                       WHERE order_id = NEW.order_id AND id <> NEW.id)
    FROM orders o WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, channel_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue,
    orders = orders + excluded.orders;
END;

CREATE TRIGGER order_lines_aggregate_delete AFTER DELETE ON order_lines
BEGIN
  UPDATE sales_daily SET
    units = sales_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price,
    orders = sales_daily.orders - NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = OLD.order_id)
  FROM orders o
  WHERE o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_daily.day = substr (o.placed_at, 1, 10) AND sales_daily.channel_id = ifnull (o.channel_id, 0);
END;

CREATE TRIGGER order_lines_aggregate_update
AFTER UPDATE OF quantity, refunded, price, order_id ON order_lines
WHEN OLD.quantity <> NEW.quantity OR OLD.refunded <> NEW.refunded
  OR OLD.price <> NEW.price OR OLD.order_id <> NEW.order_id
BEGIN
  -- Out of the old order's day as if deleted, into the new as if inserted.
  UPDATE sales_daily SET
    units = sales_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price,
    orders = sales_daily.orders - NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = OLD.order_id)
  FROM orders o
  WHERE o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_daily.day = substr (o.placed_at, 1, 10) AND sales_daily.channel_id = ifnull (o.channel_id, 0);
  INSERT INTO sales_daily (day, channel_id, units, revenue, orders)
    SELECT substr (o.placed_at, 1, 10), ifnull (o.channel_id, 0),
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price,
           OLD.order_id <> NEW.order_id
           AND NOT EXISTS (SELECT 1 FROM order_lines
                           WHERE order_id = NEW.order_id AND id <> NEW.id)
    FROM orders o WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, channel_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue,
    orders = orders + excluded.orders;
END;
