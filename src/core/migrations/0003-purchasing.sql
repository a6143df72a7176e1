-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 3: purchasing. Suppliers, what each supplies at
-- which cost, purchase orders and their receipts. Runs inside one
-- transaction. Money is in minor units of the supplier's currency.

CREATE TABLE suppliers (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length (name) BETWEEN 1 AND 120),
  contact        TEXT NOT NULL DEFAULT '' CHECK (length (contact) <= 500),
  currency       TEXT NOT NULL CHECK (length (currency) = 3),
  lead_time_days INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_days BETWEEN 0 AND 365),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

-- What a supplier sells: its own SKU, the unit cost, the minimum order
-- quantity and the multiple it ships in. A variant has at most one
-- preferred supplier (the partial unique index).
CREATE TABLE supplier_variants (
  supplier_id    INTEGER NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  variant_id     INTEGER NOT NULL REFERENCES variants (id),
  supplier_sku   TEXT CHECK (supplier_sku IS NULL OR length (supplier_sku) BETWEEN 1 AND 255),
  unit_cost      INTEGER NOT NULL CHECK (unit_cost >= 0),
  moq            INTEGER NOT NULL DEFAULT 1 CHECK (moq >= 1),
  order_multiple INTEGER NOT NULL DEFAULT 1 CHECK (order_multiple >= 1),
  preferred      INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (supplier_id, variant_id)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX supplier_variants_preferred ON supplier_variants (variant_id)
  WHERE preferred = 1;
CREATE INDEX supplier_variants_variant ON supplier_variants (variant_id);

CREATE TABLE purchase_orders (
  id           INTEGER PRIMARY KEY,
  number       TEXT NOT NULL UNIQUE CHECK (length (number) BETWEEN 1 AND 40),
  supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
  location_id  INTEGER NOT NULL REFERENCES locations (id),
  currency     TEXT NOT NULL CHECK (length (currency) = 3),
  status       TEXT NOT NULL DEFAULT 'draft'
               CHECK (status IN ('draft', 'ordered', 'partially_received',
                                 'received', 'cancelled')),
  note         TEXT,
  actor        TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  ordered_at   TEXT,
  closed_at    TEXT,
  updated_at   TEXT NOT NULL
) STRICT;

CREATE INDEX purchase_orders_status ON purchase_orders (status, id);
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id, id);

CREATE TABLE purchase_order_lines (
  id           INTEGER PRIMARY KEY,
  po_id        INTEGER NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
  variant_id   INTEGER NOT NULL REFERENCES variants (id),
  supplier_sku TEXT,
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  unit_cost    INTEGER NOT NULL CHECK (unit_cost >= 0),
  received     INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
  UNIQUE (po_id, variant_id)
) STRICT;

CREATE INDEX purchase_order_lines_variant ON purchase_order_lines (variant_id);

-- Each receipt: which line, where, how many, and the `received` movement
-- (op_id) recorded in the same transaction.
CREATE TABLE purchase_receipts (
  id          INTEGER PRIMARY KEY,
  line_id     INTEGER NOT NULL REFERENCES purchase_order_lines (id) ON DELETE CASCADE,
  location_id INTEGER NOT NULL REFERENCES locations (id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  unit_cost   INTEGER NOT NULL CHECK (unit_cost >= 0),
  op_id       TEXT NOT NULL UNIQUE,
  actor       TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;

CREATE INDEX purchase_receipts_line ON purchase_receipts (line_id, id);
