-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 5: rolling per-variant sales, so the dashboard's
-- best sellers read a handful of rows whatever the size of the catalog.
-- Runs inside one transaction and fills the new tables from the existing
-- rows.
--
-- sales_variant_daily holds units and revenue net of refunds per variant and
-- UTC day, from order lines with a variant in orders that are not cancelled
-- (as sales_daily of schema 4, one level finer). sales_variant_recent holds
-- each variant's sums over the days of sales_window; the C code moves the
-- window forward (omni_report_top_sellers) by subtracting the days that
-- leave it and adding the days that enter, and an index on the units gives
-- the top N straight away. omni_store_check_ledger() recomputes both.

CREATE TABLE sales_variant_daily (
  day        TEXT NOT NULL,
  variant_id INTEGER NOT NULL,
  units      INTEGER NOT NULL DEFAULT 0,
  revenue    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, variant_id)
) STRICT, WITHOUT ROWID;

-- The days the recent sums cover: first_day <= day < end_day.
CREATE TABLE sales_window (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  days      INTEGER NOT NULL CHECK (days > 0),
  first_day TEXT NOT NULL,
  end_day   TEXT NOT NULL
) STRICT;

CREATE TABLE sales_variant_recent (
  variant_id INTEGER PRIMARY KEY,
  units      INTEGER NOT NULL DEFAULT 0,
  revenue    INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Best sellers: the first rows of this index.
CREATE INDEX sales_variant_recent_units ON sales_variant_recent (units DESC, variant_id)
  WHERE units > 0;

CREATE VIEW sales_variant_daily_expected AS
  SELECT substr (o.placed_at, 1, 10) AS day, ol.variant_id AS variant_id,
         sum (ol.quantity - ol.refunded) AS units,
         sum ((ol.quantity - ol.refunded) * ol.price) AS revenue
  FROM order_lines ol JOIN orders o ON o.id = ol.order_id
  WHERE o.status <> 'cancelled' AND ol.variant_id IS NOT NULL
  GROUP BY 1, 2;

CREATE VIEW sales_variant_recent_expected AS
  SELECT d.variant_id AS variant_id, sum (d.units) AS units, sum (d.revenue) AS revenue
  FROM sales_variant_daily d JOIN sales_window w
    ON d.day >= w.first_day AND d.day < w.end_day
  GROUP BY d.variant_id;

-- Backfill: the last 30 days up to today (UTC).
INSERT INTO sales_window (id, days, first_day, end_day)
  VALUES (1, 30, date ('now', '-29 days'), date ('now', '+1 day'));

INSERT INTO sales_variant_daily (day, variant_id, units, revenue)
  SELECT day, variant_id, units, revenue FROM sales_variant_daily_expected WHERE true
  ORDER BY 1, 2;

INSERT INTO sales_variant_recent (variant_id, units, revenue)
  SELECT variant_id, units, revenue FROM sales_variant_recent_expected WHERE true;

-- The recent sums follow the daily rows of the window's days.
CREATE TRIGGER sales_variant_daily_insert AFTER INSERT ON sales_variant_daily
BEGIN
  INSERT INTO sales_variant_recent (variant_id, units, revenue)
    SELECT NEW.variant_id, NEW.units, NEW.revenue FROM sales_window w
    WHERE NEW.day >= w.first_day AND NEW.day < w.end_day
  ON CONFLICT (variant_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER sales_variant_daily_update AFTER UPDATE ON sales_variant_daily
BEGIN
  UPDATE sales_variant_recent SET units = units - OLD.units, revenue = revenue - OLD.revenue
  WHERE variant_id = OLD.variant_id
    AND EXISTS (SELECT 1 FROM sales_window w WHERE OLD.day >= w.first_day AND OLD.day < w.end_day);
  INSERT INTO sales_variant_recent (variant_id, units, revenue)
    SELECT NEW.variant_id, NEW.units, NEW.revenue FROM sales_window w
    WHERE NEW.day >= w.first_day AND NEW.day < w.end_day
  ON CONFLICT (variant_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER sales_variant_daily_delete AFTER DELETE ON sales_variant_daily
BEGIN
  UPDATE sales_variant_recent SET units = units - OLD.units, revenue = revenue - OLD.revenue
  WHERE variant_id = OLD.variant_id
    AND EXISTS (SELECT 1 FROM sales_window w WHERE OLD.day >= w.first_day AND OLD.day < w.end_day);
END;

-- Order lines and orders feed the daily rows, as they feed sales_daily.

CREATE TRIGGER order_lines_variant_sales_insert AFTER INSERT ON order_lines
WHEN NEW.variant_id IS NOT NULL
BEGIN
  INSERT INTO sales_variant_daily (day, variant_id, units, revenue)
    SELECT substr (o.placed_at, 1, 10), NEW.variant_id,
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price
    FROM orders o WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, variant_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER order_lines_variant_sales_delete AFTER DELETE ON order_lines
WHEN OLD.variant_id IS NOT NULL
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_variant_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price
  FROM orders o
  WHERE o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_variant_daily.day = substr (o.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = OLD.variant_id;
END;

CREATE TRIGGER order_lines_variant_sales_update
AFTER UPDATE OF quantity, refunded, price, order_id, variant_id ON order_lines
WHEN OLD.quantity <> NEW.quantity OR OLD.refunded <> NEW.refunded
  OR OLD.price <> NEW.price OR OLD.order_id <> NEW.order_id
  OR OLD.variant_id IS NOT NEW.variant_id
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_variant_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price
  FROM orders o
  WHERE OLD.variant_id IS NOT NULL AND o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_variant_daily.day = substr (o.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = OLD.variant_id;
  INSERT INTO sales_variant_daily (day, variant_id, units, revenue)
    SELECT substr (o.placed_at, 1, 10), NEW.variant_id,
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price
    FROM orders o
    WHERE NEW.variant_id IS NOT NULL AND o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, variant_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue;
END;

-- Before the order goes: its lines, deleted by the cascade afterwards, no
-- longer find their order and leave the sums alone.
CREATE TRIGGER orders_variant_sales_delete BEFORE DELETE ON orders
WHEN OLD.status <> 'cancelled'
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - s.units, revenue = sales_variant_daily.revenue - s.revenue
  FROM (SELECT variant_id, sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = OLD.id AND variant_id IS NOT NULL
        GROUP BY variant_id) s
  WHERE sales_variant_daily.day = substr (OLD.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = s.variant_id;
END;

-- Cancelling, restoring or redating an order moves its lines' sums.
CREATE TRIGGER orders_variant_sales_update AFTER UPDATE OF status, placed_at ON orders
WHEN (OLD.status = 'cancelled') IS NOT (NEW.status = 'cancelled')
  OR substr (OLD.placed_at, 1, 10) IS NOT substr (NEW.placed_at, 1, 10)
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - s.units, revenue = sales_variant_daily.revenue - s.revenue
  FROM (SELECT variant_id, sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = NEW.id AND variant_id IS NOT NULL
        GROUP BY variant_id) s
  WHERE OLD.status <> 'cancelled'
    AND sales_variant_daily.day = substr (OLD.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = s.variant_id;
  INSERT INTO sales_variant_daily (day, variant_id, units, revenue)
    SELECT substr (NEW.placed_at, 1, 10), variant_id, sum (quantity - refunded),
           sum ((quantity - refunded) * price)
    FROM order_lines
    WHERE order_id = NEW.id AND variant_id IS NOT NULL AND NEW.status <> 'cancelled'
    GROUP BY variant_id
  ON CONFLICT (day, variant_id) DO UPDATE SET
    units = units + excluded.units, revenue = revenue + excluded.revenue;
END;
