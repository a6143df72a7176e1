-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 1. Runs inside one transaction; user_version is
-- set by the migration runner after this script succeeds.
--
-- Conventions: STRICT tables; money in integer minor units of the shop
-- currency (settings.currency); quantities are integers; times are UTC ISO 8601
-- text with microseconds ('2026-11-25T10:44:30.123456Z'), which sorts in time
-- order.

-- Key/value data that belongs to the database file itself (shop currency,
-- demo marker). Never secrets: those live only in the keyring.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

INSERT INTO settings (key, value) VALUES
  ('currency', 'USD'),
  ('allow_negative_stock', '0'),
  ('default_reorder_point', '');

-- Catalog ---------------------------------------------------------------

CREATE TABLE products (
  id           INTEGER PRIMARY KEY,
  handle       TEXT NOT NULL UNIQUE CHECK (length (handle) BETWEEN 1 AND 255),
  title        TEXT NOT NULL CHECK (length (title) BETWEEN 1 AND 255),
  body         TEXT NOT NULL DEFAULT '',
  vendor       TEXT NOT NULL DEFAULT '',
  product_type TEXT NOT NULL DEFAULT '',
  tags         TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT 'active'
               CHECK (status IN ('active', 'draft', 'archived')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;

CREATE INDEX products_vendor ON products (vendor);
CREATE INDEX products_type ON products (product_type);

CREATE TABLE product_options (
  product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL CHECK (position BETWEEN 1 AND 3),
  name       TEXT NOT NULL CHECK (length (name) BETWEEN 1 AND 255),
  PRIMARY KEY (product_id, position),
  UNIQUE (product_id, name)
) STRICT;

CREATE TABLE variants (
  id               INTEGER PRIMARY KEY,
  product_id       INTEGER NOT NULL REFERENCES products (id),
  position         INTEGER NOT NULL DEFAULT 1,
  sku              TEXT CHECK (sku IS NULL OR length (sku) BETWEEN 1 AND 255),
  barcode          TEXT CHECK (barcode IS NULL OR length (barcode) BETWEEN 1 AND 64),
  option1          TEXT,
  option2          TEXT,
  option3          TEXT,
  price            INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
  compare_at_price INTEGER CHECK (compare_at_price IS NULL OR compare_at_price >= 0),
  cost             INTEGER CHECK (cost IS NULL OR cost >= 0),
  weight_grams     INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
  reorder_point    INTEGER CHECK (reorder_point IS NULL OR reorder_point >= 0),
  reorder_qty      INTEGER CHECK (reorder_qty IS NULL OR reorder_qty >= 0),
  archived         INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  -- Totals over every location, kept by the movements_apply trigger so the
  -- product list can sort and filter a million variants by stock without
  -- aggregating the levels.
  on_hand          INTEGER NOT NULL DEFAULT 0,
  available        INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
) STRICT;

-- A SKU names one active variant; archived variants keep theirs for history.
CREATE UNIQUE INDEX variants_sku_active ON variants (sku)
  WHERE sku IS NOT NULL AND archived = 0;
CREATE INDEX variants_sku ON variants (sku) WHERE sku IS NOT NULL;
CREATE INDEX variants_barcode ON variants (barcode) WHERE barcode IS NOT NULL;
CREATE INDEX variants_product ON variants (product_id, position);
CREATE INDEX variants_available ON variants (available);
CREATE INDEX products_title ON products (title COLLATE NOCASE, id);

-- Substring search over title, SKU, barcode, vendor and tags: rowid is the
-- variant id. The writers keep it in step and store case- and accent-folded
-- text, because the trigram tokenizer of SQLite 3.40 folds case only.
CREATE VIRTUAL TABLE search_index USING fts5 (
  title, sku, barcode, vendor, tags,
  tokenize = 'trigram'
);

-- Inventory -------------------------------------------------------------

CREATE TABLE locations (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length (name) BETWEEN 1 AND 120),
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX locations_one_default ON locations (is_default) WHERE is_default = 1;

-- Why stock moved. A table rather than a CHECK list so that a later version
-- can add a reason with an INSERT instead of rebuilding the ledger.
CREATE TABLE movement_reasons (
  name TEXT PRIMARY KEY
) STRICT;

INSERT INTO movement_reasons (name) VALUES
  ('received'), ('sold'), ('returned'), ('damaged'), ('lost'), ('count'),
  ('correction'), ('import'), ('sync'), ('transfer'), ('committed'), ('released');

-- The append-only ledger. id is the ledger position: strictly increasing, so
-- "movements after position P" is exact where wall-clock time is not.
CREATE TABLE movements (
  id              INTEGER PRIMARY KEY,
  op_id           TEXT NOT NULL UNIQUE CHECK (length (op_id) BETWEEN 1 AND 200),
  -- Groups the movements of one action (both legs of a transfer, a batch,
  -- an import) so it can be shown and undone as one.
  operation       TEXT NOT NULL CHECK (length (operation) BETWEEN 1 AND 200),
  variant_id      INTEGER NOT NULL REFERENCES variants (id),
  location_id     INTEGER NOT NULL REFERENCES locations (id),
  on_hand_delta   INTEGER NOT NULL DEFAULT 0,
  committed_delta INTEGER NOT NULL DEFAULT 0,
  reason          TEXT NOT NULL REFERENCES movement_reasons (name),
  source          TEXT NOT NULL DEFAULT 'app',
  reference       TEXT,
  note            TEXT,
  actor           TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  CHECK (on_hand_delta <> 0 OR committed_delta <> 0)
) STRICT;

CREATE INDEX movements_level ON movements (variant_id, location_id, id);
CREATE INDEX movements_time ON movements (created_at);
CREATE INDEX movements_operation ON movements (operation);
CREATE INDEX movements_reason_time ON movements (reason, created_at);

CREATE TRIGGER movements_append_only_update BEFORE UPDATE ON movements
BEGIN
  SELECT RAISE (ABORT, 'the movement ledger is append-only');
END;

CREATE TRIGGER movements_append_only_delete BEFORE DELETE ON movements
BEGIN
  SELECT RAISE (ABORT, 'the movement ledger is append-only');
END;

-- Materialised levels. Every level equals the sum of its movements: the
-- trigger below applies each movement in the same statement that records it,
-- so no writer can update one without the other.
CREATE TABLE stock_levels (
  variant_id       INTEGER NOT NULL REFERENCES variants (id),
  location_id      INTEGER NOT NULL REFERENCES locations (id),
  on_hand          INTEGER NOT NULL DEFAULT 0,
  committed        INTEGER NOT NULL DEFAULT 0,
  available        INTEGER NOT NULL AS (on_hand - committed) STORED,
  last_movement_id INTEGER NOT NULL DEFAULT 0,
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (variant_id, location_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX stock_levels_location ON stock_levels (location_id, available);

CREATE TRIGGER movements_apply AFTER INSERT ON movements
BEGIN
  -- Totals first: the alert triggers on stock_levels read them.
  UPDATE variants SET
    on_hand = on_hand + NEW.on_hand_delta,
    available = available + NEW.on_hand_delta - NEW.committed_delta
  WHERE id = NEW.variant_id;
  INSERT INTO stock_levels (variant_id, location_id, on_hand, committed,
                            last_movement_id, updated_at)
  VALUES (NEW.variant_id, NEW.location_id, NEW.on_hand_delta, NEW.committed_delta,
          NEW.id, NEW.created_at)
  ON CONFLICT (variant_id, location_id) DO UPDATE SET
    on_hand = on_hand + excluded.on_hand,
    committed = committed + excluded.committed,
    last_movement_id = excluded.last_movement_id,
    updated_at = excluded.updated_at;
END;

-- Low-stock alerts: one row per variant whose total available stock is at
-- or below its reorder point (or the shop default). Kept by triggers, so any
-- path that moves stock raises or clears it; notified_at says the desktop
-- notification went out, so it is raised once, not on every later change.
CREATE TABLE stock_alerts (
  variant_id    INTEGER PRIMARY KEY REFERENCES variants (id),
  available     INTEGER NOT NULL,
  reorder_point INTEGER NOT NULL,
  raised_at     TEXT NOT NULL,
  notified_at   TEXT
) STRICT;

CREATE VIEW variant_reorder_points AS
  SELECT v.id AS variant_id,
         coalesce (v.reorder_point,
                   (SELECT CAST (value AS INTEGER) FROM settings
                    WHERE key = 'default_reorder_point' AND value <> '')) AS reorder_point
  FROM variants v WHERE v.archived = 0;

CREATE TRIGGER stock_levels_alert_insert AFTER INSERT ON stock_levels
BEGIN
  DELETE FROM stock_alerts WHERE variant_id = NEW.variant_id
    AND (SELECT available FROM variants WHERE id = NEW.variant_id)
        > ifnull ((SELECT reorder_point FROM variant_reorder_points
                   WHERE variant_id = NEW.variant_id), -1);
  INSERT INTO stock_alerts (variant_id, available, reorder_point, raised_at)
    SELECT r.variant_id,
           (SELECT available FROM variants WHERE id = NEW.variant_id),
           r.reorder_point, NEW.updated_at
    FROM variant_reorder_points r
    WHERE r.variant_id = NEW.variant_id AND r.reorder_point IS NOT NULL
      AND (SELECT available FROM variants WHERE id = NEW.variant_id)
          <= r.reorder_point
  ON CONFLICT (variant_id) DO UPDATE SET available = excluded.available;
END;

CREATE TRIGGER stock_levels_alert_update AFTER UPDATE OF on_hand, committed ON stock_levels
BEGIN
  DELETE FROM stock_alerts WHERE variant_id = NEW.variant_id
    AND (SELECT available FROM variants WHERE id = NEW.variant_id)
        > ifnull ((SELECT reorder_point FROM variant_reorder_points
                   WHERE variant_id = NEW.variant_id), -1);
  INSERT INTO stock_alerts (variant_id, available, reorder_point, raised_at)
    SELECT r.variant_id,
           (SELECT available FROM variants WHERE id = NEW.variant_id),
           r.reorder_point, NEW.updated_at
    FROM variant_reorder_points r
    WHERE r.variant_id = NEW.variant_id AND r.reorder_point IS NOT NULL
      AND (SELECT available FROM variants WHERE id = NEW.variant_id)
          <= r.reorder_point
  ON CONFLICT (variant_id) DO UPDATE SET available = excluded.available;
END;

-- Staff: the OS session is the login; profiles say who made each change.
-- A PIN is stored only as a salted, iterated hash.
CREATE TABLE staff (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length (name) BETWEEN 1 AND 120),
  role       TEXT NOT NULL DEFAULT 'staff' CHECK (role IN ('owner', 'staff')),
  pin_hash   TEXT,
  archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

-- Stock counts ----------------------------------------------------------

CREATE TABLE count_sessions (
  id                INTEGER PRIMARY KEY,
  location_id       INTEGER NOT NULL REFERENCES locations (id),
  scope_kind        TEXT NOT NULL DEFAULT 'all'
                    CHECK (scope_kind IN ('all', 'vendor', 'type', 'tag')),
  scope_value       TEXT,
  state             TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'committed', 'cancelled')),
  started_at        TEXT NOT NULL,
  started_position  INTEGER NOT NULL,
  finished_at       TEXT,
  actor             TEXT NOT NULL,
  note              TEXT
) STRICT;

CREATE TABLE count_lines (
  session_id         INTEGER NOT NULL REFERENCES count_sessions (id) ON DELETE CASCADE,
  variant_id         INTEGER NOT NULL REFERENCES variants (id),
  expected           INTEGER NOT NULL,
  counted            INTEGER NOT NULL DEFAULT 0 CHECK (counted >= 0),
  last_scan_position INTEGER,
  last_scan_at       TEXT,
  PRIMARY KEY (session_id, variant_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE count_unknown_codes (
  session_id INTEGER NOT NULL REFERENCES count_sessions (id) ON DELETE CASCADE,
  code       TEXT NOT NULL CHECK (length (code) BETWEEN 1 AND 128),
  scans      INTEGER NOT NULL DEFAULT 1,
  last_at    TEXT NOT NULL,
  PRIMARY KEY (session_id, code)
) STRICT, WITHOUT ROWID;

-- Channels and sync -----------------------------------------------------

-- No credentials here: tokens and secrets live only in the keyring, looked up
-- by (platform, account).
CREATE TABLE channels (
  id           INTEGER PRIMARY KEY,
  platform     TEXT NOT NULL CHECK (platform IN ('shopify', 'amazon', 'ebay')),
  name         TEXT NOT NULL UNIQUE,
  account      TEXT NOT NULL,
  api_url      TEXT,
  settings     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (settings)),
  state        TEXT NOT NULL DEFAULT 'connected'
               CHECK (state IN ('connected', 'paused', 'error', 'auth_failed')),
  last_error   TEXT,
  last_sync_at TEXT,
  created_at   TEXT NOT NULL,
  UNIQUE (platform, account)
) STRICT;

CREATE TABLE channel_locations (
  channel_id  INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  remote_id   TEXT NOT NULL,
  remote_name TEXT NOT NULL,
  location_id INTEGER REFERENCES locations (id),
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  PRIMARY KEY (channel_id, remote_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE channel_links (
  channel_id           INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  variant_id           INTEGER NOT NULL REFERENCES variants (id),
  remote_product_id    TEXT,
  remote_variant_id    TEXT NOT NULL,
  remote_inventory_id  TEXT,
  remote_sku           TEXT,
  last_remote_quantity INTEGER,
  buffer               INTEGER NOT NULL DEFAULT 0 CHECK (buffer >= 0),
  linked_by            TEXT NOT NULL CHECK (linked_by IN ('sku', 'barcode', 'manual', 'import')),
  updated_at           TEXT NOT NULL,
  PRIMARY KEY (channel_id, variant_id),
  UNIQUE (channel_id, remote_variant_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_cursors (
  channel_id INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  resource   TEXT NOT NULL,
  cursor     TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (channel_id, resource)
) STRICT, WITHOUT ROWID;

-- Local changes waiting to be pushed, written in the same transaction as the
-- movement that caused them; op_id travels to the platform as the
-- idempotency key so a retry never applies twice.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  op_id           TEXT NOT NULL UNIQUE,
  channel_id      INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  variant_id      INTEGER NOT NULL REFERENCES variants (id),
  location_id     INTEGER REFERENCES locations (id),
  kind            TEXT NOT NULL DEFAULT 'set_quantity',
  payload         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (payload)),
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'done', 'failed', 'conflict')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_variant ON outbox (channel_id, variant_id, state);

-- Orders from every channel; channel_id NULL is a sale made in the shop.
CREATE TABLE orders (
  id                 INTEGER PRIMARY KEY,
  channel_id         INTEGER REFERENCES channels (id) ON DELETE SET NULL,
  remote_id          TEXT NOT NULL,
  name               TEXT NOT NULL,
  currency           TEXT NOT NULL,
  status             TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'fulfilled', 'partially_fulfilled',
                                       'cancelled', 'refunded')),
  total              INTEGER NOT NULL DEFAULT 0,
  location_id        INTEGER REFERENCES locations (id),
  placed_at          TEXT NOT NULL,
  remote_updated_at  TEXT,
  cancelled_at       TEXT,
  created_at         TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX orders_remote ON orders (ifnull (channel_id, 0), remote_id);
CREATE INDEX orders_placed ON orders (placed_at);

CREATE TABLE order_lines (
  id             INTEGER PRIMARY KEY,
  order_id       INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  remote_line_id TEXT,
  variant_id     INTEGER REFERENCES variants (id),
  sku            TEXT,
  title          TEXT NOT NULL DEFAULT '',
  quantity       INTEGER NOT NULL CHECK (quantity > 0),
  price          INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
  fulfilled      INTEGER NOT NULL DEFAULT 0 CHECK (fulfilled >= 0),
  refunded       INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0)
) STRICT;

CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX order_lines_variant ON order_lines (variant_id);

-- Webhook deliveries: the id seen (for de-duplication) and the raw event,
-- queued durably before the HTTP answer so a crash after it loses nothing.
CREATE TABLE webhook_events (
  id          INTEGER PRIMARY KEY,
  channel_id  INTEGER REFERENCES channels (id) ON DELETE CASCADE,
  event_id    TEXT NOT NULL,
  topic       TEXT NOT NULL,
  body        TEXT,
  state       TEXT NOT NULL DEFAULT 'queued'
              CHECK (state IN ('queued', 'applied', 'ignored', 'failed')),
  error       TEXT,
  received_at TEXT NOT NULL,
  applied_at  TEXT,
  UNIQUE (channel_id, event_id)
) STRICT;

CREATE INDEX webhook_events_queue ON webhook_events (state, id);

CREATE TABLE sync_log (
  id          INTEGER PRIMARY KEY,
  channel_id  INTEGER REFERENCES channels (id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('pull', 'push', 'auth', 'webhook', 'reconcile')),
  operation   TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('ok', 'retry', 'error', 'conflict')),
  http_status INTEGER,
  duration_ms INTEGER,
  message     TEXT
) STRICT;

CREATE INDEX sync_log_channel ON sync_log (channel_id, id);
