-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema on PostgreSQL: the state of the SQLite schema at version
-- 7 (migrations 0001 to 0007 applied), in one script. Later versions get a
-- SQLite and a PostgreSQL script each. Runs inside one transaction, in a
-- database owned by the connecting role (no superuser needed).
--
-- Translation rules: INTEGER -> BIGINT (flags stay 0/1 integers), REAL ->
-- DOUBLE PRECISION, BLOB -> BYTEA, `id INTEGER PRIMARY KEY` -> an identity
-- column; names of tables, columns, indexes, views and triggers are the
-- SQLite ones. Every SQLite trigger is a PL/pgSQL function plus a row
-- trigger with the same condition and effect; RAISE (ABORT, 'msg') is
-- RAISE EXCEPTION with the same text (SQLSTATE P0001). PostgreSQL fires the
-- triggers of one event in name order, SQLite newest first: the triggers
-- that share an event here write disjoint rows or columns, so the order
-- does not change the result (one order matters for concurrency only, see
-- movements_apply). SQLite runs a row trigger as each row is written,
-- PostgreSQL runs the AFTER row triggers once the statement has written
-- every row: the two order line triggers whose result depends on that read
-- the statement's rows through a transition table.
--
-- The first part defines the SQLite functions the store's SQL uses, so
-- that SQL runs unchanged where the dialects allow it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- SQLite's NOCASE: equal when equal but for case. A nondeterministic ICU
-- collation makes `=`, UNIQUE and ORDER BY ... COLLATE NOCASE case
-- insensitive as in SQLite (for every script, not only ASCII: "É" equals
-- "é" here) and needs no extension. Ordering follows the Unicode collation
-- algorithm, so punctuation sorts differently from SQLite's byte order.
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- SQLite compares TEXT byte by byte; a PostgreSQL database takes its
-- default collation from the server's locale (en_US.UTF-8 sorts "b-10"
-- before "B-2" and "Ä" before "B"). Every column the store sorts, pages
-- through with a key, or compares with < > min() max() is declared
-- COLLATE "C" (byte order), so lists, keyset pages and reports come out in
-- SQLite's order on any server. Equality and UNIQUE are byte equality
-- under every deterministic collation, so the other columns keep the
-- default. Columns that meet lower (?) of a bound value (products.tags,
-- remote_variants) keep the default too: lower () follows the collation,
-- and both sides must fold alike.

-- Compatibility functions -----------------------------------------------

CREATE FUNCTION ifnull (a anycompatible, b anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT coalesce (a, b)';

CREATE FUNCTION iif (condition boolean, a anycompatible, b anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT CASE WHEN condition THEN a ELSE b END';

-- 1-based position of needle in haystack, 0 when absent, NULL with a NULL.
CREATE FUNCTION instr (haystack text, needle text) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT strpos (haystack, needle)';

-- The two-argument max() and min() of SQLite: NULL when either is NULL
-- (greatest() and least() would skip it). One argument stays the aggregate.
CREATE FUNCTION max (a anycompatible, b anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a >= b THEN a ELSE b END';

CREATE FUNCTION min (a anycompatible, b anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a <= b THEN a ELSE b END';

-- total(): a floating-point sum that is 0.0 over no rows; over a condition
-- it counts the rows where it holds, as SQLite's total (x = y) does.
CREATE FUNCTION omni_total_step (acc double precision, x double precision) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT acc + coalesce (x, 0)';
CREATE FUNCTION omni_total_step (acc double precision, x boolean) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT acc + CASE WHEN x THEN 1 ELSE 0 END';

CREATE AGGREGATE total (double precision) (
  SFUNC = omni_total_step, STYPE = double precision, INITCOND = '0');
CREATE AGGREGATE total (boolean) (
  SFUNC = omni_total_step, STYPE = double precision, INITCOND = '0');

-- group_concat (x [, separator]): NULLs skipped, NULL over no values.
CREATE FUNCTION omni_group_concat_step (acc text, x text, separator text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT CASE WHEN x IS NULL THEN acc WHEN acc IS NULL THEN x
                  ELSE acc || coalesce (separator, '''') || x END';
CREATE FUNCTION omni_group_concat_step (acc text, x text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT omni_group_concat_step (acc, x, '','')';

CREATE AGGREGATE group_concat (text, text) (SFUNC = omni_group_concat_step, STYPE = text);
CREATE AGGREGATE group_concat (text) (SFUNC = omni_group_concat_step, STYPE = text);

-- randomblob (n) and hex (blob): upper-case hex as in SQLite.
CREATE FUNCTION randomblob (n bigint) RETURNS bytea
  LANGUAGE sql VOLATILE PARALLEL SAFE
  AS 'SELECT substring (string_agg (uuid_send (gen_random_uuid ()), ''''::bytea)
                        FROM 1 FOR greatest (n, 1)::integer)
      FROM generate_series (1, (greatest (n, 1) + 15) / 16)';

CREATE FUNCTION hex (data bytea) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT upper (encode (data, ''hex''))';
CREATE FUNCTION hex (data text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT upper (encode (convert_to (data, ''UTF8''), ''hex''))';

-- JSON. Documents are TEXT columns as in SQLite; these work on the `json`
-- type, which keeps key order and duplicates, and write compact text as
-- SQLite does. Paths are '$' and '$.key.key...'. Malformed input gives NULL
-- instead of an error: PostgreSQL does not promise to evaluate a guard such
-- as `json_valid (x) AND x ->> '$.k' = ?` left to right.

CREATE FUNCTION omni_json_parse (doc text) RETURNS json
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  RETURN doc::json;
EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value
             OR untranslatable_character THEN
  RETURN NULL;
END
$$;

CREATE FUNCTION omni_json_path (path text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$SELECT CASE WHEN path = '$' THEN ARRAY[]::text[]
                   WHEN path LIKE '$.%' THEN string_to_array (substr (path, 3), '.')
                   ELSE NULL END$$;

CREATE FUNCTION omni_json_compact (doc json) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  CASE json_typeof (doc)
    WHEN 'object' THEN
      RETURN '{' || coalesce ((SELECT string_agg (to_json (e.key)::text || ':'
                                                  || omni_json_compact (e.value), ','
                                                  ORDER BY e.n)
                               FROM pg_catalog.json_each (doc) WITH ORDINALITY e (key, value, n)),
                              '') || '}';
    WHEN 'array' THEN
      RETURN '[' || coalesce ((SELECT string_agg (omni_json_compact (e.value), ',' ORDER BY e.n)
                               FROM json_array_elements (doc) WITH ORDINALITY e (value, n)),
                              '') || ']';
    ELSE
      RETURN btrim (doc::text, E' \t\r\n');
  END CASE;
END
$$;

-- The element at @path (the first member of that name, as SQLite), or NULL.
CREATE FUNCTION omni_json_at (doc json, path text[]) RETURNS json
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  cur json := doc;
BEGIN
  IF doc IS NULL OR path IS NULL THEN
    RETURN NULL;
  END IF;
  FOR i IN 1 .. coalesce (array_length (path, 1), 0) LOOP
    IF json_typeof (cur) <> 'object' THEN
      RETURN NULL;
    END IF;
    SELECT e.value INTO cur
    FROM pg_catalog.json_each (cur) WITH ORDINALITY e (key, value, n)
    WHERE e.key = path[i] ORDER BY e.n LIMIT 1;
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
  END LOOP;
  RETURN cur;
END
$$;

-- SQLite's type name of a JSON element.
CREATE FUNCTION omni_json_type (element json) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE json_typeof (element)
           WHEN 'object' THEN 'object'
           WHEN 'array' THEN 'array'
           WHEN 'string' THEN 'text'
           WHEN 'null' THEN 'null'
           WHEN 'boolean' THEN btrim (element::text, E' \t\r\n')
           ELSE CASE WHEN btrim (element::text, E' \t\r\n') ~ '^-?[0-9]+$'
                     THEN 'integer' ELSE 'real' END
         END
$$;

-- The SQL value of a JSON element as text: strings unquoted, true/false as
-- 1/0, numbers as written, JSON null as NULL, containers as compact JSON.
CREATE FUNCTION omni_json_atom (element json) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE json_typeof (element)
           WHEN 'string' THEN element #>> '{}'
           WHEN 'null' THEN NULL
           WHEN 'boolean' THEN CASE WHEN element::text LIKE '%true%' THEN '1' ELSE '0' END
           ELSE omni_json_compact (element)
         END
$$;

CREATE FUNCTION json_valid (doc text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT omni_json_parse (doc) IS NOT NULL';

CREATE FUNCTION json (doc text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT omni_json_compact (omni_json_parse (doc))';

CREATE FUNCTION json_type (doc text, path text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT omni_json_type (omni_json_at (omni_json_parse (doc), omni_json_path (path)))';

CREATE FUNCTION json_type (doc text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT omni_json_type (omni_json_parse (doc))';

-- The SQL value at @path, as text (SQLite would give an integer for a JSON
-- integer: compare or cast accordingly).
CREATE FUNCTION json_extract (doc text, path text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT omni_json_atom (omni_json_at (omni_json_parse (doc), omni_json_path (path)))';

CREATE FUNCTION omni_json_arrow (doc text, path text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT omni_json_compact (omni_json_at (omni_json_parse (doc), omni_json_path (path)))';

CREATE OPERATOR -> (LEFTARG = text, RIGHTARG = text, FUNCTION = omni_json_arrow);
CREATE OPERATOR ->> (LEFTARG = text, RIGHTARG = text, FUNCTION = json_extract);

-- Sets @value (JSON text, as json (?) gives it in SQLite) at @path,
-- replacing a member in place or appending it; missing objects on the way
-- are created; a path through a non-object leaves the document as it was.
CREATE FUNCTION omni_json_set (doc json, path text[], value json) RETURNS json
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  members text[] := ARRAY[]::text[];
  replaced boolean := false;
  e record;
BEGIN
  IF coalesce (array_length (path, 1), 0) = 0 THEN
    RETURN value;
  END IF;
  IF json_typeof (doc) <> 'object' THEN
    RETURN doc;
  END IF;
  FOR e IN SELECT j.key, j.value FROM pg_catalog.json_each (doc) WITH ORDINALITY j (key, value, n)
           ORDER BY j.n LOOP
    IF NOT replaced AND e.key = path[1] THEN
      members := members || (to_json (e.key)::text || ':'
                             || omni_json_compact (omni_json_set (e.value, path[2:], value)));
      replaced := true;
    ELSE
      members := members || (to_json (e.key)::text || ':' || omni_json_compact (e.value));
    END IF;
  END LOOP;
  IF NOT replaced THEN
    members := members || (to_json (path[1])::text || ':'
                           || omni_json_compact (omni_json_set ('{}'::json, path[2:], value)));
  END IF;
  RETURN ('{' || array_to_string (members, ',') || '}')::json;
END
$$;

CREATE FUNCTION omni_json_remove (doc json, path text[]) RETURNS json
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  members text[] := ARRAY[]::text[];
  done boolean := false;
  e record;
BEGIN
  IF coalesce (array_length (path, 1), 0) = 0 OR json_typeof (doc) <> 'object' THEN
    RETURN doc;
  END IF;
  FOR e IN SELECT j.key, j.value FROM pg_catalog.json_each (doc) WITH ORDINALITY j (key, value, n)
           ORDER BY j.n LOOP
    IF NOT done AND e.key = path[1] THEN
      done := true;
      IF array_length (path, 1) > 1 THEN
        members := members || (to_json (e.key)::text || ':'
                               || omni_json_compact (omni_json_remove (e.value, path[2:])));
      END IF;
    ELSE
      members := members || (to_json (e.key)::text || ':' || omni_json_compact (e.value));
    END IF;
  END LOOP;
  RETURN ('{' || array_to_string (members, ',') || '}')::json;
END
$$;

CREATE FUNCTION json_set (doc text, path text, value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT omni_json_compact (omni_json_set (omni_json_parse (doc), omni_json_path (path),
                                               omni_json_parse (value)))';

CREATE FUNCTION json_remove (doc text, path text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT omni_json_compact (omni_json_remove (omni_json_parse (doc), omni_json_path (path)))';

-- json (x) with one argument is also PostgreSQL's cast to the json type,
-- which the parser picks for a literal or an untyped parameter: these take
-- what that cast gives.
CREATE FUNCTION json_set (doc text, path text, value json) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT json_set (doc, path, value::text)';
CREATE FUNCTION json_set (doc json, path text, value json) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT json_set (doc::text, path, value::text)';
CREATE FUNCTION json_set (doc json, path text, value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT json_set (doc::text, path, value)';
CREATE FUNCTION json_remove (doc json, path text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS 'SELECT json_remove (doc::text, path)';

-- json_object() as the outbox claim calls it: (name, text, name, text,
-- name, integer, name, integer); NULL values become JSON null.
CREATE FUNCTION json_object (k1 text, v1 text, k2 text, v2 text,
                             k3 text, v3 bigint, k4 text, v4 bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT '{' || to_json (k1)::text || ':' || coalesce (to_json (v1)::text, 'null')
      || ',' || to_json (k2)::text || ':' || coalesce (to_json (v2)::text, 'null')
      || ',' || to_json (k3)::text || ':' || coalesce (v3::text, 'null')
      || ',' || to_json (k4)::text || ':' || coalesce (v4::text, 'null') || '}'
$$;

-- json_each (doc): the elements of an array of ids, key and value as
-- integers, so `id IN (SELECT value FROM json_each (?))` compares integers
-- and uses the index on id. A non-integer element has a NULL value (see
-- atom and type).
CREATE FUNCTION json_each (doc text)
  RETURNS TABLE (key bigint, value bigint, type text, atom text)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 16 AS $$
  SELECT e.n - 1,
         CASE WHEN omni_json_type (e.value) = 'integer'
                   AND length (btrim (e.value::text, E' \t\r\n-')) <= 18
              THEN btrim (e.value::text, E' \t\r\n')::bigint END,
         omni_json_type (e.value), omni_json_atom (e.value)
  FROM json_array_elements (omni_json_parse (doc)) WITH ORDINALITY e (value, n)
  WHERE json_typeof (omni_json_parse (doc)) = 'array'
$$;

-- json_each (doc, path): the members of an object (key = name) or the
-- elements of an array (key = index) at @path, value as text.
CREATE FUNCTION json_each (doc text, path text)
  RETURNS TABLE (key text, value text, type text, atom text)
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE ROWS 16 AS $$
DECLARE
  target json := omni_json_at (omni_json_parse (doc), omni_json_path (path));
BEGIN
  IF target IS NULL THEN
    RETURN;
  ELSIF json_typeof (target) = 'object' THEN
    RETURN QUERY SELECT e.key, omni_json_atom (e.value), omni_json_type (e.value),
                        CASE WHEN json_typeof (e.value) IN ('object', 'array') THEN NULL
                             ELSE omni_json_atom (e.value) END
                 FROM pg_catalog.json_each (target) WITH ORDINALITY e (key, value, n)
                 ORDER BY e.n;
  ELSIF json_typeof (target) = 'array' THEN
    RETURN QUERY SELECT (e.n - 1)::text, omni_json_atom (e.value), omni_json_type (e.value),
                        CASE WHEN json_typeof (e.value) IN ('object', 'array') THEN NULL
                             ELSE omni_json_atom (e.value) END
                 FROM json_array_elements (target) WITH ORDINALITY e (value, n)
                 ORDER BY e.n;
  ELSE
    RETURN QUERY SELECT NULL::text, omni_json_atom (target), omni_json_type (target),
                        omni_json_atom (target);
  END IF;
END
$$;

-- SQLite gives a new row the highest id plus one; an identity column takes
-- the next value of its sequence, which rows inserted with their own ids
-- (a store copied over from SQLite) do not move. This sets every identity
-- column of the schema to continue after its highest id.
CREATE FUNCTION omni_reset_identities () RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = current_schema () AND is_identity = 'YES' LOOP
    EXECUTE format ('SELECT setval (pg_get_serial_sequence (%L, %L),'
                    ' coalesce ((SELECT max (%I) FROM %I), 0) + 1, false)',
                    quote_ident (c.table_name), c.column_name, c.column_name, c.table_name);
  END LOOP;
END
$$;

-- Identity ----------------------------------------------------------------

-- What PRAGMA user_version and PRAGMA application_id hold on SQLite.
CREATE TABLE omni_schema (
  version BIGINT NOT NULL
);
INSERT INTO omni_schema (version) VALUES (7);

CREATE TABLE omni_schema_app (
  app_id BIGINT NOT NULL
);
INSERT INTO omni_schema_app (app_id) VALUES (1330466377);   -- 0x4F4D4E49, "OMNI" in ASCII

-- Settings ----------------------------------------------------------------

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

INSERT INTO settings (key, value) VALUES
  ('currency', 'USD'),
  ('allow_negative_stock', '0'),
  ('default_reorder_point', '');

-- Catalog -------------------------------------------------------------------

CREATE TABLE products (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  handle       TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length (handle) BETWEEN 1 AND 255),
  title        TEXT COLLATE "C" NOT NULL CHECK (length (title) BETWEEN 1 AND 255),
  body         TEXT NOT NULL DEFAULT '',
  vendor       TEXT COLLATE "C" NOT NULL DEFAULT '',
  product_type TEXT COLLATE "C" NOT NULL DEFAULT '',
  tags         TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT 'active'
               CHECK (status IN ('active', 'draft', 'archived')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE INDEX products_vendor ON products (vendor);
CREATE INDEX products_type ON products (product_type);
-- The product list's title order: SQLite's NOCASE order (ASCII letters
-- lowered, then byte order), which lower() under the "C" collation gives.
CREATE INDEX products_title ON products ((lower (title COLLATE "C")), id);

CREATE TABLE product_options (
  product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  position   BIGINT NOT NULL CHECK (position BETWEEN 1 AND 3),
  name       TEXT NOT NULL CHECK (length (name) BETWEEN 1 AND 255),
  PRIMARY KEY (product_id, position),
  UNIQUE (product_id, name)
);

CREATE TABLE variants (
  id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  product_id       BIGINT NOT NULL REFERENCES products (id),
  position         BIGINT NOT NULL DEFAULT 1,
  sku              TEXT COLLATE "C" CHECK (sku IS NULL OR length (sku) BETWEEN 1 AND 255),
  barcode          TEXT COLLATE "C" CHECK (barcode IS NULL OR length (barcode) BETWEEN 1 AND 64),
  option1          TEXT COLLATE "C",
  option2          TEXT COLLATE "C",
  option3          TEXT COLLATE "C",
  price            BIGINT NOT NULL DEFAULT 0 CHECK (price >= 0),
  compare_at_price BIGINT CHECK (compare_at_price IS NULL OR compare_at_price >= 0),
  cost             BIGINT CHECK (cost IS NULL OR cost >= 0),
  weight_grams     BIGINT NOT NULL DEFAULT 0 CHECK (weight_grams >= 0),
  reorder_point    BIGINT CHECK (reorder_point IS NULL OR reorder_point >= 0),
  reorder_qty      BIGINT CHECK (reorder_qty IS NULL OR reorder_qty >= 0),
  archived         BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  -- Totals over every location, kept by the movements_apply trigger.
  on_hand          BIGINT NOT NULL DEFAULT 0,
  available        BIGINT NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT COLLATE "C" NOT NULL,
  -- Added by version 4: the reorder point in force and the latest sale.
  reorder_at       BIGINT,
  last_sold_at     TEXT COLLATE "C"
);

-- A SKU names one active variant; archived variants keep theirs for history.
CREATE UNIQUE INDEX variants_sku_active ON variants (sku)
  WHERE sku IS NOT NULL AND archived = 0;
CREATE INDEX variants_sku ON variants (sku) WHERE sku IS NOT NULL;
CREATE INDEX variants_barcode ON variants (barcode) WHERE barcode IS NOT NULL;
CREATE INDEX variants_product ON variants (product_id, position);
CREATE INDEX variants_available ON variants (available);
-- ifnull() is inlined as coalesce(), so queries written with either match.
CREATE INDEX variants_idle_value ON variants ((available * coalesce (cost, 0)))
  WHERE archived = 0 AND available > 0;
CREATE INDEX variants_due ON variants (available)
  WHERE archived = 0 AND available <= reorder_at;
CREATE INDEX variants_due_sold ON variants (last_sold_at)
  WHERE archived = 0 AND available <= reorder_at;

-- Substring search over title, SKU, barcode, vendor and tags (an FTS5
-- trigram table on SQLite). rowid is the variant id; the writers store case-
-- and accent-folded text. The column search_index holds the five fields
-- joined by line breaks (a search term never contains one, so a match never
-- spans two fields) under a trigram index: where SQLite says
-- `search_index MATCH '"term"'`, PostgreSQL says
-- `search_index LIKE '%term%'` (term with % _ \ escaped), one LIKE per term.
CREATE TABLE search_index (
  rowid        BIGINT PRIMARY KEY,
  title        TEXT,
  sku          TEXT,
  barcode      TEXT,
  vendor       TEXT,
  tags         TEXT,
  search_index TEXT GENERATED ALWAYS AS (
    coalesce (title, '') || E'\n' || coalesce (sku, '') || E'\n' || coalesce (barcode, '')
    || E'\n' || coalesce (vendor, '') || E'\n' || coalesce (tags, '')) STORED
);

CREATE INDEX search_index_trigrams ON search_index USING gin (search_index gin_trgm_ops);

-- Inventory -----------------------------------------------------------------

CREATE TABLE locations (
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name       TEXT COLLATE nocase NOT NULL UNIQUE CHECK (length (name) BETWEEN 1 AND 120),
  is_default BIGINT NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  archived   BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX locations_one_default ON locations (is_default) WHERE is_default = 1;

CREATE TABLE movement_reasons (
  name TEXT PRIMARY KEY
);

INSERT INTO movement_reasons (name) VALUES
  ('received'), ('sold'), ('returned'), ('damaged'), ('lost'), ('count'),
  ('correction'), ('import'), ('sync'), ('transfer'), ('committed'), ('released');

-- The append-only ledger; id is the ledger position.
CREATE TABLE movements (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  op_id           TEXT NOT NULL UNIQUE CHECK (length (op_id) BETWEEN 1 AND 200),
  operation       TEXT NOT NULL CHECK (length (operation) BETWEEN 1 AND 200),
  variant_id      BIGINT NOT NULL REFERENCES variants (id),
  location_id     BIGINT NOT NULL REFERENCES locations (id),
  on_hand_delta   BIGINT NOT NULL DEFAULT 0,
  committed_delta BIGINT NOT NULL DEFAULT 0,
  reason          TEXT NOT NULL REFERENCES movement_reasons (name),
  source          TEXT NOT NULL DEFAULT 'app',
  reference       TEXT,
  note            TEXT,
  actor           TEXT NOT NULL,
  created_at      TEXT COLLATE "C" NOT NULL,
  CHECK (on_hand_delta <> 0 OR committed_delta <> 0)
);

CREATE INDEX movements_level ON movements (variant_id, location_id, id);
CREATE INDEX movements_time ON movements (created_at);
CREATE INDEX movements_operation ON movements (operation);
CREATE INDEX movements_reason_time ON movements (reason, created_at);
CREATE INDEX movements_variant_time
  ON movements (variant_id, created_at, reason, on_hand_delta);

CREATE TABLE stock_levels (
  variant_id       BIGINT NOT NULL REFERENCES variants (id),
  location_id      BIGINT NOT NULL REFERENCES locations (id),
  on_hand          BIGINT NOT NULL DEFAULT 0,
  committed        BIGINT NOT NULL DEFAULT 0,
  available        BIGINT NOT NULL GENERATED ALWAYS AS (on_hand - committed) STORED,
  last_movement_id BIGINT NOT NULL DEFAULT 0,
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (variant_id, location_id)
);

CREATE INDEX stock_levels_location ON stock_levels (location_id, available);

CREATE TABLE stock_alerts (
  variant_id    BIGINT PRIMARY KEY REFERENCES variants (id),
  available     BIGINT NOT NULL,
  reorder_point BIGINT NOT NULL,
  raised_at     TEXT NOT NULL,
  notified_at   TEXT
);

CREATE VIEW variant_reorder_points AS
  SELECT v.id AS variant_id,
         coalesce (v.reorder_point,
                   (SELECT CAST (value AS BIGINT) FROM settings
                    WHERE key = 'default_reorder_point' AND value <> '')) AS reorder_point
  FROM variants v WHERE v.archived = 0;

CREATE TABLE staff (
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name       TEXT COLLATE nocase NOT NULL UNIQUE CHECK (length (name) BETWEEN 1 AND 120),
  role       TEXT NOT NULL DEFAULT 'staff' CHECK (role IN ('owner', 'staff')),
  pin_hash   TEXT,
  archived   BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at TEXT NOT NULL
);

-- Stock counts --------------------------------------------------------------

CREATE TABLE count_sessions (
  id                BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  location_id       BIGINT NOT NULL REFERENCES locations (id),
  scope_kind        TEXT NOT NULL DEFAULT 'all'
                    CHECK (scope_kind IN ('all', 'vendor', 'type', 'tag')),
  scope_value       TEXT,
  state             TEXT NOT NULL DEFAULT 'open'
                    CHECK (state IN ('open', 'committed', 'cancelled')),
  started_at        TEXT NOT NULL,
  started_position  BIGINT NOT NULL,
  finished_at       TEXT,
  actor             TEXT NOT NULL,
  note              TEXT
);

CREATE TABLE count_lines (
  session_id         BIGINT NOT NULL REFERENCES count_sessions (id) ON DELETE CASCADE,
  variant_id         BIGINT NOT NULL REFERENCES variants (id),
  expected           BIGINT NOT NULL,
  counted            BIGINT NOT NULL DEFAULT 0 CHECK (counted >= 0),
  last_scan_position BIGINT,
  last_scan_at       TEXT,
  PRIMARY KEY (session_id, variant_id)
);

CREATE TABLE count_unknown_codes (
  session_id BIGINT NOT NULL REFERENCES count_sessions (id) ON DELETE CASCADE,
  code       TEXT NOT NULL CHECK (length (code) BETWEEN 1 AND 128),
  scans      BIGINT NOT NULL DEFAULT 1,
  last_at    TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (session_id, code)
);

-- Channels and sync ---------------------------------------------------------

CREATE TABLE channels (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  platform     TEXT NOT NULL CHECK (platform IN ('shopify', 'amazon', 'ebay')),
  name         TEXT COLLATE "C" NOT NULL UNIQUE,
  account      TEXT NOT NULL,
  api_url      TEXT,
  settings     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (settings)),
  state        TEXT NOT NULL DEFAULT 'connected'
               CHECK (state IN ('connected', 'paused', 'error', 'auth_failed')),
  last_error   TEXT,
  last_sync_at TEXT COLLATE "C",
  created_at   TEXT NOT NULL,
  UNIQUE (platform, account)
);

CREATE TABLE channel_locations (
  channel_id  BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  remote_id   TEXT COLLATE "C" NOT NULL,
  remote_name TEXT COLLATE "C" NOT NULL,
  location_id BIGINT REFERENCES locations (id),
  active      BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  PRIMARY KEY (channel_id, remote_id)
);

CREATE UNIQUE INDEX channel_locations_local ON channel_locations (channel_id, location_id)
  WHERE location_id IS NOT NULL;

CREATE TABLE channel_links (
  channel_id           BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  variant_id           BIGINT NOT NULL REFERENCES variants (id),
  remote_product_id    TEXT,
  remote_variant_id    TEXT NOT NULL,
  remote_inventory_id  TEXT,
  remote_sku           TEXT,
  last_remote_quantity BIGINT,
  buffer               BIGINT NOT NULL DEFAULT 0 CHECK (buffer >= 0),
  linked_by            TEXT NOT NULL CHECK (linked_by IN ('sku', 'barcode', 'manual', 'import')),
  updated_at           TEXT NOT NULL,
  PRIMARY KEY (channel_id, variant_id),
  UNIQUE (channel_id, remote_variant_id)
);

CREATE INDEX channel_links_inventory ON channel_links (channel_id, remote_inventory_id);

CREATE TABLE channel_levels (
  channel_id         BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  variant_id         BIGINT NOT NULL REFERENCES variants (id),
  remote_location_id TEXT NOT NULL,
  quantity           BIGINT NOT NULL,
  updated_at         TEXT NOT NULL,
  PRIMARY KEY (channel_id, variant_id, remote_location_id)
);

CREATE TABLE sync_cursors (
  channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  resource   TEXT NOT NULL,
  cursor     TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (channel_id, resource)
);

CREATE TABLE outbox (
  id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  op_id           TEXT NOT NULL UNIQUE,
  channel_id      BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  variant_id      BIGINT NOT NULL REFERENCES variants (id),
  location_id     BIGINT REFERENCES locations (id),
  kind            TEXT NOT NULL DEFAULT 'set_quantity',
  payload         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid (payload)),
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sending', 'done', 'failed', 'conflict')),
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_at TEXT COLLATE "C",
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_variant ON outbox (channel_id, variant_id, state);
CREATE INDEX outbox_channel_due ON outbox (channel_id, state, next_attempt_at);

CREATE TABLE orders (
  id                 BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  channel_id         BIGINT REFERENCES channels (id) ON DELETE SET NULL,
  remote_id          TEXT NOT NULL,
  name               TEXT NOT NULL,
  currency           TEXT NOT NULL,
  status             TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'fulfilled', 'partially_fulfilled',
                                       'cancelled', 'refunded')),
  total              BIGINT NOT NULL DEFAULT 0,
  location_id        BIGINT REFERENCES locations (id),
  placed_at          TEXT COLLATE "C" NOT NULL,
  remote_updated_at  TEXT,
  cancelled_at       TEXT,
  created_at         TEXT NOT NULL
);

CREATE UNIQUE INDEX orders_remote ON orders ((coalesce (channel_id, 0)), remote_id);
CREATE INDEX orders_placed ON orders (placed_at);

CREATE TABLE order_lines (
  id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  order_id       BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  remote_line_id TEXT,
  variant_id     BIGINT REFERENCES variants (id),
  sku            TEXT COLLATE "C",
  title          TEXT COLLATE "C" NOT NULL DEFAULT '',
  quantity       BIGINT NOT NULL CHECK (quantity > 0),
  price          BIGINT NOT NULL DEFAULT 0 CHECK (price >= 0),
  fulfilled      BIGINT NOT NULL DEFAULT 0 CHECK (fulfilled >= 0),
  refunded       BIGINT NOT NULL DEFAULT 0 CHECK (refunded >= 0)
);

CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX order_lines_variant ON order_lines (variant_id);

CREATE TABLE webhook_events (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  channel_id  BIGINT REFERENCES channels (id) ON DELETE CASCADE,
  event_id    TEXT NOT NULL,
  topic       TEXT NOT NULL,
  body        TEXT,
  state       TEXT NOT NULL DEFAULT 'queued'
              CHECK (state IN ('queued', 'applied', 'ignored', 'failed')),
  error       TEXT,
  received_at TEXT COLLATE "C" NOT NULL,
  applied_at  TEXT COLLATE "C",
  UNIQUE (channel_id, event_id)
);

CREATE INDEX webhook_events_queue ON webhook_events (state, id);

CREATE TABLE sync_log (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  channel_id  BIGINT REFERENCES channels (id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('pull', 'push', 'auth', 'webhook', 'reconcile')),
  operation   TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('ok', 'retry', 'error', 'conflict')),
  http_status BIGINT,
  duration_ms BIGINT,
  message     TEXT
);

CREATE INDEX sync_log_channel ON sync_log (channel_id, id);

CREATE TABLE remote_variants (
  id                  BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  channel_id          BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  remote_variant_id   TEXT NOT NULL CHECK (length (remote_variant_id) BETWEEN 1 AND 255),
  remote_product_id   TEXT,
  remote_inventory_id TEXT,
  sku                 TEXT,
  barcode             TEXT,
  product_title       TEXT,
  title               TEXT,
  price               BIGINT CHECK (price IS NULL OR price >= 0),
  currency            TEXT,
  state               TEXT NOT NULL DEFAULT 'unmatched'
                      CHECK (state IN ('unmatched', 'ignored')),
  first_seen_at       TEXT NOT NULL,
  last_seen_at        TEXT NOT NULL,
  UNIQUE (channel_id, remote_variant_id)
);

CREATE INDEX remote_variants_channel_state ON remote_variants (channel_id, state, sku);

-- Purchasing ------------------------------------------------------------------

CREATE TABLE suppliers (
  id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name           TEXT COLLATE nocase NOT NULL UNIQUE CHECK (length (name) BETWEEN 1 AND 120),
  contact        TEXT NOT NULL DEFAULT '' CHECK (length (contact) <= 500),
  currency       TEXT NOT NULL CHECK (length (currency) = 3),
  lead_time_days BIGINT NOT NULL DEFAULT 0 CHECK (lead_time_days BETWEEN 0 AND 365),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE TABLE supplier_variants (
  supplier_id    BIGINT NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  variant_id     BIGINT NOT NULL REFERENCES variants (id),
  supplier_sku   TEXT CHECK (supplier_sku IS NULL OR length (supplier_sku) BETWEEN 1 AND 255),
  unit_cost      BIGINT NOT NULL CHECK (unit_cost >= 0),
  moq            BIGINT NOT NULL DEFAULT 1 CHECK (moq >= 1),
  order_multiple BIGINT NOT NULL DEFAULT 1 CHECK (order_multiple >= 1),
  preferred      BIGINT NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (supplier_id, variant_id)
);

CREATE UNIQUE INDEX supplier_variants_preferred ON supplier_variants (variant_id)
  WHERE preferred = 1;
CREATE INDEX supplier_variants_variant ON supplier_variants (variant_id);

CREATE TABLE purchase_orders (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  number       TEXT NOT NULL UNIQUE CHECK (length (number) BETWEEN 1 AND 40),
  supplier_id  BIGINT NOT NULL REFERENCES suppliers (id),
  location_id  BIGINT NOT NULL REFERENCES locations (id),
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
);

CREATE INDEX purchase_orders_status ON purchase_orders (status, id);
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id, id);

CREATE TABLE purchase_order_lines (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  po_id        BIGINT NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
  variant_id   BIGINT NOT NULL REFERENCES variants (id),
  supplier_sku TEXT,
  quantity     BIGINT NOT NULL CHECK (quantity > 0),
  unit_cost    BIGINT NOT NULL CHECK (unit_cost >= 0),
  received     BIGINT NOT NULL DEFAULT 0 CHECK (received >= 0),
  UNIQUE (po_id, variant_id)
);

CREATE INDEX purchase_order_lines_variant ON purchase_order_lines (variant_id);

CREATE TABLE purchase_receipts (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  line_id     BIGINT NOT NULL REFERENCES purchase_order_lines (id) ON DELETE CASCADE,
  location_id BIGINT NOT NULL REFERENCES locations (id),
  quantity    BIGINT NOT NULL CHECK (quantity > 0),
  unit_cost   BIGINT NOT NULL CHECK (unit_cost >= 0),
  op_id       TEXT NOT NULL UNIQUE,
  actor       TEXT NOT NULL,
  received_at TEXT NOT NULL
);

CREATE INDEX purchase_receipts_line ON purchase_receipts (line_id, id);

-- Aggregates kept by triggers -------------------------------------------------

CREATE TABLE stock_aggregates (
  grouping     TEXT NOT NULL CHECK (grouping IN ('total', 'product_type', 'vendor')),
  label        TEXT COLLATE "C" NOT NULL,
  products     BIGINT NOT NULL DEFAULT 0,
  variants     BIGINT NOT NULL DEFAULT 0,
  units        BIGINT NOT NULL DEFAULT 0,
  cost_value   BIGINT NOT NULL DEFAULT 0,
  retail_value BIGINT NOT NULL DEFAULT 0,
  out_of_stock BIGINT NOT NULL DEFAULT 0,
  low_stock    BIGINT NOT NULL DEFAULT 0,
  due          BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (grouping, label)
);

CREATE TABLE table_counts (
  name TEXT PRIMARY KEY,
  n    BIGINT NOT NULL
);

CREATE TABLE sales_daily (
  day        TEXT COLLATE "C" NOT NULL,
  channel_id BIGINT NOT NULL,
  units      BIGINT NOT NULL DEFAULT 0,
  revenue    BIGINT NOT NULL DEFAULT 0,
  orders     BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, channel_id)
);

CREATE TABLE sales_variant_daily (
  day        TEXT COLLATE "C" NOT NULL,
  variant_id BIGINT NOT NULL,
  units      BIGINT NOT NULL DEFAULT 0,
  revenue    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, variant_id)
);

CREATE TABLE sales_window (
  id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY CHECK (id = 1),
  days      BIGINT NOT NULL CHECK (days > 0),
  first_day TEXT COLLATE "C" NOT NULL,
  end_day   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE sales_variant_recent (
  variant_id BIGINT PRIMARY KEY,
  units      BIGINT NOT NULL DEFAULT 0,
  revenue    BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX sales_variant_recent_units ON sales_variant_recent (units DESC, variant_id)
  WHERE units > 0;

-- Views: the figures recomputed from the rows. Conditions counted as 0/1
-- are cast to integers, as SQLite computes them.

CREATE VIEW product_stock_terms AS
  SELECT p.id AS product_id, p.product_type AS product_type, p.vendor AS vendor,
         CAST (p.status <> 'archived' AS integer)::bigint AS live,
         count (v.id) AS variants,
         ifnull (sum (max (v.on_hand, 0)), 0) AS units,
         ifnull (sum (max (v.on_hand, 0) * ifnull (v.cost, 0)), 0) AS cost_value,
         ifnull (sum (max (v.on_hand, 0) * v.price), 0) AS retail_value,
         ifnull (sum (CAST (v.available <= 0 AS integer)), 0) AS out_of_stock,
         ifnull (sum (CAST (v.available > 0 AND ifnull (v.available <= coalesce (v.reorder_point,
                  (SELECT CAST (value AS BIGINT) FROM settings
                   WHERE key = 'default_reorder_point' AND value <> '')), false) AS integer)), 0)
           AS low_stock,
         ifnull (sum (CAST (ifnull (v.available <= coalesce (v.reorder_point,
                  (SELECT CAST (value AS BIGINT) FROM settings
                   WHERE key = 'default_reorder_point' AND value <> '')), false) AS integer)), 0)
           AS due
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

-- What the version 4 and 5 migrations fill in on an empty database.
INSERT INTO stock_aggregates (grouping, label, products, variants, units, cost_value,
                              retail_value, out_of_stock, low_stock, due)
  SELECT grouping, label, ifnull (products, 0), ifnull (variants, 0), ifnull (units, 0),
         ifnull (cost_value, 0), ifnull (retail_value, 0), ifnull (out_of_stock, 0),
         ifnull (low_stock, 0), ifnull (due, 0)
  FROM stock_aggregates_expected
  ON CONFLICT DO NOTHING;
INSERT INTO stock_aggregates (grouping, label) VALUES ('total', '') ON CONFLICT DO NOTHING;

INSERT INTO table_counts (name, n) SELECT 'orders', count(*) FROM orders;

-- The last 30 days up to today (UTC).
INSERT INTO sales_window (id, days, first_day, end_day)
  VALUES (1, 30, to_char ((now () AT TIME ZONE 'UTC')::date - 29, 'YYYY-MM-DD'),
          to_char ((now () AT TIME ZONE 'UTC')::date + 1, 'YYYY-MM-DD'));

-- Triggers ------------------------------------------------------------------
--
-- A bulk write (an import) switches the triggers of its own connection off
-- on SQLite and redoes their work set by set. PostgreSQL has no
-- per-connection switch a database owner may use: session_replication_role
-- needs a superuser (or GRANT SET ON PARAMETER) and also skips the foreign
-- key checks, ALTER TABLE ... DISABLE TRIGGER affects every connection. On
-- PostgreSQL a bulk write keeps to the row-by-row way, triggers on.

-- The ledger --------------------------------------------------------------

CREATE FUNCTION movements_append_only () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the movement ledger is append-only';
END
$$;

CREATE TRIGGER movements_append_only_update BEFORE UPDATE ON movements
  FOR EACH ROW EXECUTE FUNCTION movements_append_only ();
CREATE TRIGGER movements_append_only_delete BEFORE DELETE ON movements
  FOR EACH ROW EXECUTE FUNCTION movements_append_only ();

-- Applies each movement in the statement that records it. The UPDATE of
-- the variant and the upsert of the level lock those rows until commit, so
-- two writers of one variant queue behind each other, and the second one's
-- later statements (READ COMMITTED) see the first one's work. By name this
-- trigger fires before movements_enqueue_push and movements_last_sold: the
-- push check then sees an entry another till has just queued and does not
-- queue a second one.
CREATE FUNCTION movements_apply () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  -- Totals first: the alert triggers on stock_levels read them.
  UPDATE variants SET
    on_hand = on_hand + NEW.on_hand_delta,
    available = available + NEW.on_hand_delta - NEW.committed_delta
  WHERE id = NEW.variant_id;
  INSERT INTO stock_levels AS s (variant_id, location_id, on_hand, committed,
                                 last_movement_id, updated_at)
  VALUES (NEW.variant_id, NEW.location_id, NEW.on_hand_delta, NEW.committed_delta,
          NEW.id, NEW.created_at)
  ON CONFLICT (variant_id, location_id) DO UPDATE SET
    on_hand = s.on_hand + excluded.on_hand,
    committed = s.committed + excluded.committed,
    last_movement_id = excluded.last_movement_id,
    updated_at = excluded.updated_at;
  RETURN NULL;
END
$$;

CREATE TRIGGER movements_apply AFTER INSERT ON movements
  FOR EACH ROW EXECUTE FUNCTION movements_apply ();

-- A movement of a linked variant at a mapped or feeding location queues a
-- push, unless an unclaimed one (payload '{}') already covers it; a
-- channel's own pull (source 'channel:ID') is not echoed back to it.
CREATE FUNCTION movements_enqueue_push () RETURNS trigger
  LANGUAGE plpgsql AS $$
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
                        WHERE CASE WHEN f.type IN ('integer', 'real')
                                   THEN f.atom::numeric END = NEW.location_id)))
  WHERE l.variant_id = NEW.variant_id
    AND l.remote_inventory_id IS NOT NULL
    AND NEW.source IS DISTINCT FROM ('channel:' || l.channel_id)
    AND NOT EXISTS (SELECT 1 FROM outbox o
                    WHERE o.channel_id = l.channel_id AND o.variant_id = NEW.variant_id
                      AND o.location_id = cl.location_id
                      AND o.state = 'pending' AND o.payload = '{}');
  RETURN NULL;
END
$$;

CREATE TRIGGER movements_enqueue_push AFTER INSERT ON movements
  FOR EACH ROW EXECUTE FUNCTION movements_enqueue_push ();

CREATE FUNCTION movements_last_sold () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE variants SET last_sold_at = NEW.created_at
  WHERE id = NEW.variant_id AND (last_sold_at IS NULL OR last_sold_at < NEW.created_at);
  RETURN NULL;
END
$$;

CREATE TRIGGER movements_last_sold AFTER INSERT ON movements
  FOR EACH ROW WHEN (NEW.reason = 'sold') EXECUTE FUNCTION movements_last_sold ();

-- Low-stock alerts, from the variant's total available stock.
CREATE FUNCTION stock_levels_alert () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM stock_alerts WHERE variant_id = NEW.variant_id
    AND (SELECT available FROM variants WHERE id = NEW.variant_id)
        > ifnull ((SELECT reorder_point FROM variant_reorder_points
                   WHERE variant_id = NEW.variant_id), -1);
  INSERT INTO stock_alerts AS a (variant_id, available, reorder_point, raised_at)
    SELECT r.variant_id,
           (SELECT available FROM variants WHERE id = NEW.variant_id),
           r.reorder_point, NEW.updated_at
    FROM variant_reorder_points r
    WHERE r.variant_id = NEW.variant_id AND r.reorder_point IS NOT NULL
      AND (SELECT available FROM variants WHERE id = NEW.variant_id)
          <= r.reorder_point
  ON CONFLICT (variant_id) DO UPDATE SET available = excluded.available;
  RETURN NULL;
END
$$;

CREATE TRIGGER stock_levels_alert_insert AFTER INSERT ON stock_levels
  FOR EACH ROW EXECUTE FUNCTION stock_levels_alert ();
CREATE TRIGGER stock_levels_alert_update AFTER UPDATE OF on_hand, committed ON stock_levels
  FOR EACH ROW EXECUTE FUNCTION stock_levels_alert ();

-- Reorder point in force ------------------------------------------------------

CREATE FUNCTION variants_reorder_at () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE variants SET reorder_at = coalesce (NEW.reorder_point, (SELECT CAST (value AS BIGINT) FROM settings
                  WHERE key = 'default_reorder_point' AND value <> ''))
  WHERE id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER variants_reorder_at_insert AFTER INSERT ON variants
  FOR EACH ROW EXECUTE FUNCTION variants_reorder_at ();
CREATE TRIGGER variants_reorder_at_update AFTER UPDATE OF reorder_point ON variants
  FOR EACH ROW EXECUTE FUNCTION variants_reorder_at ();

-- Stock aggregates: a variant's terms ------------------------------------------

-- The default reorder point, or NULL when the shop sets none. The variant
-- triggers below are PL/pgSQL throughout: it keeps their plans from one call
-- to the next, where an SQL function called from a trigger is planned again
-- at every call (an import calls these for every row).
CREATE FUNCTION omni_default_reorder_point () RETURNS bigint
  LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT CAST (value AS BIGINT) FROM settings
          WHERE key = 'default_reorder_point' AND value <> '');
END
$$;

-- A variant row's terms in the stock figures: what each variant trigger of
-- version 4 writes out for NEW and for OLD. @reorder_at is the reorder point
-- in force: the variant's own, else the shop's default (the caller looks
-- that up once for both rows).
CREATE TYPE omni_variant_terms AS (
  variants bigint, units bigint, cost_value bigint, retail_value bigint,
  out_of_stock bigint, low_stock bigint, due bigint
);

CREATE FUNCTION omni_variant_terms (archived bigint, on_hand bigint, available bigint,
                                    cost bigint, price bigint, reorder_at bigint)
  RETURNS omni_variant_terms
  LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  t omni_variant_terms;
  stocked bigint := greatest (on_hand, 0);
BEGIN
  IF archived <> 0 THEN
    t := ROW (0, 0, 0, 0, 0, 0, 0);
    RETURN t;
  END IF;
  t.variants := 1;
  t.units := stocked;
  t.cost_value := stocked * coalesce (cost, 0);
  t.retail_value := stocked * price;
  t.out_of_stock := CASE WHEN available <= 0 THEN 1 ELSE 0 END;
  t.low_stock := CASE WHEN available > 0 AND available <= reorder_at THEN 1 ELSE 0 END;
  t.due := CASE WHEN available <= reorder_at THEN 1 ELSE 0 END;
  RETURN t;
END
$$;

-- Kept totals: one change a transaction ------------------------------------------
--
-- Every movement changes the same few rows of stock_aggregates: the total,
-- its product type's and its vendor's. PostgreSQL keeps every version of a
-- row that a transaction updates until the transaction ends, so an import of
-- n movements in one transaction walked longer and longer version chains:
-- n² work (10,000 rows took minutes). The triggers below append what changes
-- to stock_aggregate_changes instead, and a deferred trigger adds it all
-- into stock_aggregates once, as the transaction commits. The rows are
-- locked only for that moment, so tills no longer wait on one another for
-- the totals either. Inside the writing transaction stock_aggregates does
-- not yet show its own changes; omni_fold_stock_aggregates() adds them at
-- once (the store's check calls it first).
--
-- A change names the groups by the product's type and vendor as they were
-- when it happened, as the row-by-row updates did; prune = 1 asks for those
-- groups to go when they end up empty (a product left them).

-- Its ids come from a sequence of their own (not an identity column):
-- omni_reset_identities() must never move them back.
CREATE TABLE stock_aggregate_changes (
  id           BIGSERIAL,
  product_type TEXT NOT NULL,
  vendor       TEXT NOT NULL,
  products     BIGINT NOT NULL DEFAULT 0,
  variants     BIGINT NOT NULL DEFAULT 0,
  units        BIGINT NOT NULL DEFAULT 0,
  cost_value   BIGINT NOT NULL DEFAULT 0,
  retail_value BIGINT NOT NULL DEFAULT 0,
  out_of_stock BIGINT NOT NULL DEFAULT 0,
  low_stock    BIGINT NOT NULL DEFAULT 0,
  due          BIGINT NOT NULL DEFAULT 0,
  prune        BIGINT NOT NULL DEFAULT 0
);

-- Adds the waiting changes of this transaction into stock_aggregates, in
-- one statement that locks the groups in one order (so two tills committing
-- at once cannot deadlock on them), and removes the groups left empty.
-- Remembers the last change it added, for the commit trigger.
CREATE FUNCTION omni_fold_stock_aggregates () RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  last_id bigint;
  types text[];
  vendors text[];
BEGIN
  SELECT max (id), array_agg (DISTINCT product_type) FILTER (WHERE prune <> 0),
         array_agg (DISTINCT vendor) FILTER (WHERE prune <> 0)
    INTO last_id, types, vendors
  FROM stock_aggregate_changes;
  IF last_id IS NULL THEN
    RETURN;
  END IF;

  WITH c AS (DELETE FROM stock_aggregate_changes WHERE id <= last_id RETURNING *),
  g AS (
    SELECT 'total' AS grouping, '' AS label, products, variants, units, cost_value,
           retail_value, out_of_stock, low_stock, due FROM c
    UNION ALL
    SELECT 'product_type', product_type, products, variants, units, cost_value,
           retail_value, out_of_stock, low_stock, due FROM c
    UNION ALL
    SELECT 'vendor', vendor, products, variants, units, cost_value,
           retail_value, out_of_stock, low_stock, due FROM c)
  INSERT INTO stock_aggregates AS a (grouping, label, products, variants, units, cost_value,
                                     retail_value, out_of_stock, low_stock, due)
    SELECT grouping, label, sum (products), sum (variants), sum (units), sum (cost_value),
           sum (retail_value), sum (out_of_stock), sum (low_stock), sum (due)
    FROM g GROUP BY grouping, label
    ORDER BY grouping COLLATE "C", label COLLATE "C"
  ON CONFLICT (grouping, label) DO UPDATE SET
    products = a.products + excluded.products, variants = a.variants + excluded.variants,
    units = a.units + excluded.units, cost_value = a.cost_value + excluded.cost_value,
    retail_value = a.retail_value + excluded.retail_value,
    out_of_stock = a.out_of_stock + excluded.out_of_stock,
    low_stock = a.low_stock + excluded.low_stock, due = a.due + excluded.due;

  IF types IS NOT NULL THEN
    DELETE FROM stock_aggregates
    WHERE ((grouping = 'product_type' AND label = ANY (types))
           OR (grouping = 'vendor' AND label = ANY (vendors)))
      AND products = 0 AND variants = 0 AND units = 0 AND cost_value = 0
      AND retail_value = 0 AND out_of_stock = 0 AND low_stock = 0 AND due = 0;
  END IF;
  PERFORM set_config ('omnistock.aggregates_folded_to', last_id::text, true);
END
$$;

-- Fires once for every change, at commit; the first one adds them all, the
-- others find theirs already added (ids only grow) and return at once.
CREATE FUNCTION stock_aggregate_changes_commit () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id > coalesce (nullif (current_setting ('omnistock.aggregates_folded_to', true), ''),
                        '0')::bigint THEN
    PERFORM omni_fold_stock_aggregates ();
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER stock_aggregate_changes_commit
  AFTER INSERT ON stock_aggregate_changes
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION stock_aggregate_changes_commit ();

-- Adds @plus and takes away @minus (either may be NULL) in the groups of
-- @product_id, when that product is not archived.
CREATE FUNCTION omni_variant_aggregate (product_id bigint, plus omni_variant_terms,
                                        minus omni_variant_terms) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  d omni_variant_terms;
BEGIN
  d.variants := coalesce (plus.variants, 0) - coalesce (minus.variants, 0);
  d.units := coalesce (plus.units, 0) - coalesce (minus.units, 0);
  d.cost_value := coalesce (plus.cost_value, 0) - coalesce (minus.cost_value, 0);
  d.retail_value := coalesce (plus.retail_value, 0) - coalesce (minus.retail_value, 0);
  d.out_of_stock := coalesce (plus.out_of_stock, 0) - coalesce (minus.out_of_stock, 0);
  d.low_stock := coalesce (plus.low_stock, 0) - coalesce (minus.low_stock, 0);
  d.due := coalesce (plus.due, 0) - coalesce (minus.due, 0);
  IF d.variants = 0 AND d.units = 0 AND d.cost_value = 0 AND d.retail_value = 0
     AND d.out_of_stock = 0 AND d.low_stock = 0 AND d.due = 0 THEN
    RETURN;
  END IF;
  INSERT INTO stock_aggregate_changes (product_type, vendor, variants, units, cost_value,
                                       retail_value, out_of_stock, low_stock, due)
  SELECT p.product_type, p.vendor, d.variants, d.units, d.cost_value, d.retail_value,
         d.out_of_stock, d.low_stock, d.due
  FROM products p
  WHERE p.id = omni_variant_aggregate.product_id AND p.status <> 'archived';
END
$$;

CREATE FUNCTION variants_aggregate_insert () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM omni_variant_aggregate (NEW.product_id,
    omni_variant_terms (NEW.archived, NEW.on_hand, NEW.available, NEW.cost, NEW.price,
                        coalesce (NEW.reorder_point, omni_default_reorder_point ())), NULL);
  RETURN NULL;
END
$$;

CREATE TRIGGER variants_aggregate_insert AFTER INSERT ON variants
  FOR EACH ROW EXECUTE FUNCTION variants_aggregate_insert ();

CREATE FUNCTION variants_aggregate_delete () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM omni_variant_aggregate (OLD.product_id, NULL,
    omni_variant_terms (OLD.archived, OLD.on_hand, OLD.available, OLD.cost, OLD.price,
                        coalesce (OLD.reorder_point, omni_default_reorder_point ())));
  RETURN NULL;
END
$$;

CREATE TRIGGER variants_aggregate_delete AFTER DELETE ON variants
  FOR EACH ROW EXECUTE FUNCTION variants_aggregate_delete ();

-- The common case, every movement: the same product, new terms minus old,
-- in one UPDATE.
CREATE FUNCTION variants_aggregate_update () RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  fallback bigint;
BEGIN
  IF NEW.reorder_point IS NULL OR OLD.reorder_point IS NULL THEN
    fallback := omni_default_reorder_point ();
  END IF;
  PERFORM omni_variant_aggregate (NEW.product_id,
    omni_variant_terms (NEW.archived, NEW.on_hand, NEW.available, NEW.cost, NEW.price,
                        coalesce (NEW.reorder_point, fallback)),
    omni_variant_terms (OLD.archived, OLD.on_hand, OLD.available, OLD.cost, OLD.price,
                        coalesce (OLD.reorder_point, fallback)));
  RETURN NULL;
END
$$;

CREATE TRIGGER variants_aggregate_update
  AFTER UPDATE OF on_hand, available, cost, price, archived, reorder_point ON variants
  FOR EACH ROW
  WHEN (OLD.product_id = NEW.product_id
        AND (OLD.on_hand <> NEW.on_hand OR OLD.available <> NEW.available
             OR OLD.cost IS DISTINCT FROM NEW.cost OR OLD.price <> NEW.price
             OR OLD.archived <> NEW.archived
             OR OLD.reorder_point IS DISTINCT FROM NEW.reorder_point))
  EXECUTE FUNCTION variants_aggregate_update ();

-- A variant moved to another product: out of the old groups, into the new.
CREATE FUNCTION variants_aggregate_move () RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  fallback bigint := omni_default_reorder_point ();
BEGIN
  PERFORM omni_variant_aggregate (OLD.product_id, NULL,
    omni_variant_terms (OLD.archived, OLD.on_hand, OLD.available, OLD.cost, OLD.price,
                        coalesce (OLD.reorder_point, fallback)));
  PERFORM omni_variant_aggregate (NEW.product_id,
    omni_variant_terms (NEW.archived, NEW.on_hand, NEW.available, NEW.cost, NEW.price,
                        coalesce (NEW.reorder_point, fallback)), NULL);
  RETURN NULL;
END
$$;

CREATE TRIGGER variants_aggregate_move AFTER UPDATE OF product_id ON variants
  FOR EACH ROW WHEN (OLD.product_id <> NEW.product_id)
  EXECUTE FUNCTION variants_aggregate_move ();

-- Products ------------------------------------------------------------------

CREATE FUNCTION products_aggregate_insert () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_aggregate_changes (product_type, vendor, products)
    VALUES (NEW.product_type, NEW.vendor, CAST (NEW.status <> 'archived' AS integer));
  RETURN NULL;
END
$$;

CREATE TRIGGER products_aggregate_insert AFTER INSERT ON products
  FOR EACH ROW EXECUTE FUNCTION products_aggregate_insert ();

-- Out of the old groups, into the new (which exist afterwards even when the
-- product is archived); the old groups go if that leaves them empty.
CREATE FUNCTION products_aggregate_update () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_aggregate_changes (product_type, vendor, products, variants, units,
                                       cost_value, retail_value, out_of_stock, low_stock, due,
                                       prune)
    SELECT OLD.product_type, OLD.vendor, -1, -t.variants, -t.units, -t.cost_value,
           -t.retail_value, -t.out_of_stock, -t.low_stock, -t.due, 1
    FROM product_stock_terms t
    WHERE t.product_id = NEW.id AND OLD.status <> 'archived'
    UNION ALL
    SELECT OLD.product_type, OLD.vendor, 0, 0, 0, 0, 0, 0, 0, 0, 1
    WHERE OLD.status = 'archived'
    UNION ALL
    SELECT NEW.product_type, NEW.vendor, 1, t.variants, t.units, t.cost_value,
           t.retail_value, t.out_of_stock, t.low_stock, t.due, 0
    FROM product_stock_terms t
    WHERE t.product_id = NEW.id AND NEW.status <> 'archived'
    UNION ALL
    SELECT NEW.product_type, NEW.vendor, 0, 0, 0, 0, 0, 0, 0, 0, 0
    WHERE NEW.status = 'archived';
  RETURN NULL;
END
$$;

CREATE TRIGGER products_aggregate_update
  AFTER UPDATE OF status, product_type, vendor ON products
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.product_type IS DISTINCT FROM NEW.product_type
        OR OLD.vendor IS DISTINCT FROM NEW.vendor)
  EXECUTE FUNCTION products_aggregate_update ();

CREATE FUNCTION products_aggregate_delete () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stock_aggregate_changes (product_type, vendor, products)
    SELECT OLD.product_type, OLD.vendor, -1 WHERE OLD.status <> 'archived';
  RETURN NULL;
END
$$;

CREATE TRIGGER products_aggregate_delete AFTER DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION products_aggregate_delete ();

-- The shop's default reorder point: a change recounts.
CREATE FUNCTION settings_aggregate () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE variants SET reorder_at = omni_default_reorder_point ()
  WHERE reorder_point IS NULL;
  -- Recounted from the rows: what waits to be added is in them already.
  PERFORM omni_fold_stock_aggregates ();
  UPDATE stock_aggregates SET low_stock = ifnull (e.low_stock, 0), due = ifnull (e.due, 0)
  FROM stock_aggregates_expected e
  WHERE e.grouping = stock_aggregates.grouping AND e.label = stock_aggregates.label;
  RETURN NULL;
END
$$;

CREATE TRIGGER settings_aggregate_insert AFTER INSERT ON settings
  FOR EACH ROW WHEN (NEW.key = 'default_reorder_point')
  EXECUTE FUNCTION settings_aggregate ();
CREATE TRIGGER settings_aggregate_update AFTER UPDATE OF value ON settings
  FOR EACH ROW WHEN (NEW.key = 'default_reorder_point' AND OLD.value IS DISTINCT FROM NEW.value)
  EXECUTE FUNCTION settings_aggregate ();
CREATE TRIGGER settings_aggregate_delete AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key = 'default_reorder_point')
  EXECUTE FUNCTION settings_aggregate ();

-- Orders ----------------------------------------------------------------------

CREATE FUNCTION orders_count_insert () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE table_counts SET n = n + 1 WHERE name = 'orders';
  RETURN NULL;
END
$$;

CREATE TRIGGER orders_count_insert AFTER INSERT ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_count_insert ();

-- Before the row goes: its lines, deleted by the cascade afterwards, no
-- longer find their order and leave the sums alone.
CREATE FUNCTION orders_aggregate_delete () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE table_counts SET n = n - 1 WHERE name = 'orders';
  UPDATE sales_daily SET
    units = sales_daily.units - s.units, revenue = sales_daily.revenue - s.revenue,
    orders = sales_daily.orders - 1
  FROM (SELECT sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = OLD.id HAVING count(*) > 0) s
  WHERE OLD.status <> 'cancelled'
    AND sales_daily.day = substr (OLD.placed_at, 1, 10)
    AND sales_daily.channel_id = ifnull (OLD.channel_id, 0);
  RETURN OLD;
END
$$;

CREATE TRIGGER orders_aggregate_delete BEFORE DELETE ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_aggregate_delete ();

CREATE FUNCTION orders_aggregate_update () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_daily SET
    units = sales_daily.units - s.units, revenue = sales_daily.revenue - s.revenue,
    orders = sales_daily.orders - 1
  FROM (SELECT sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = NEW.id HAVING count(*) > 0) s
  WHERE OLD.status <> 'cancelled'
    AND sales_daily.day = substr (OLD.placed_at, 1, 10)
    AND sales_daily.channel_id = ifnull (OLD.channel_id, 0);
  INSERT INTO sales_daily AS d (day, channel_id, units, revenue, orders)
    SELECT substr (NEW.placed_at, 1, 10), ifnull (NEW.channel_id, 0),
           sum (quantity - refunded), sum ((quantity - refunded) * price), 1
    FROM order_lines WHERE order_id = NEW.id AND NEW.status <> 'cancelled'
    HAVING count(*) > 0
  ON CONFLICT (day, channel_id) DO UPDATE SET
    units = d.units + excluded.units, revenue = d.revenue + excluded.revenue,
    orders = d.orders + excluded.orders;
  RETURN NULL;
END
$$;

CREATE TRIGGER orders_aggregate_update AFTER UPDATE OF status, placed_at, channel_id ON orders
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.placed_at IS DISTINCT FROM NEW.placed_at
        OR OLD.channel_id IS DISTINCT FROM NEW.channel_id)
  EXECUTE FUNCTION orders_aggregate_update ();

CREATE FUNCTION orders_variant_sales_delete () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - s.units,
    revenue = sales_variant_daily.revenue - s.revenue
  FROM (SELECT variant_id, sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = OLD.id AND variant_id IS NOT NULL
        GROUP BY variant_id) s
  WHERE sales_variant_daily.day = substr (OLD.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = s.variant_id;
  RETURN OLD;
END
$$;

CREATE TRIGGER orders_variant_sales_delete BEFORE DELETE ON orders
  FOR EACH ROW WHEN (OLD.status <> 'cancelled')
  EXECUTE FUNCTION orders_variant_sales_delete ();

CREATE FUNCTION orders_variant_sales_update () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - s.units,
    revenue = sales_variant_daily.revenue - s.revenue
  FROM (SELECT variant_id, sum (quantity - refunded) AS units,
               sum ((quantity - refunded) * price) AS revenue
        FROM order_lines WHERE order_id = NEW.id AND variant_id IS NOT NULL
        GROUP BY variant_id) s
  WHERE OLD.status <> 'cancelled'
    AND sales_variant_daily.day = substr (OLD.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = s.variant_id;
  INSERT INTO sales_variant_daily AS d (day, variant_id, units, revenue)
    SELECT substr (NEW.placed_at, 1, 10), variant_id, sum (quantity - refunded),
           sum ((quantity - refunded) * price)
    FROM order_lines
    WHERE order_id = NEW.id AND variant_id IS NOT NULL AND NEW.status <> 'cancelled'
    GROUP BY variant_id
  ON CONFLICT (day, variant_id) DO UPDATE SET
    units = d.units + excluded.units, revenue = d.revenue + excluded.revenue;
  RETURN NULL;
END
$$;

CREATE TRIGGER orders_variant_sales_update AFTER UPDATE OF status, placed_at ON orders
  FOR EACH ROW
  WHEN ((OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled')
        OR substr (OLD.placed_at, 1, 10) IS DISTINCT FROM substr (NEW.placed_at, 1, 10))
  EXECUTE FUNCTION orders_variant_sales_update ();

-- Order lines -----------------------------------------------------------------

-- SQLite runs a row trigger as each row goes in, PostgreSQL once the
-- statement has written them all: where SQLite counts an order when its
-- first line arrives, this counts it at the first of the lines the
-- statement added (`added`) when the order had none before it.
CREATE FUNCTION order_lines_aggregate_insert () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sales_daily AS d (day, channel_id, units, revenue, orders)
    SELECT substr (o.placed_at, 1, 10), ifnull (o.channel_id, 0),
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price,
           CAST (NOT EXISTS (SELECT 1 FROM order_lines l
                             WHERE l.order_id = NEW.order_id
                               AND l.id NOT IN (SELECT a.id FROM added a))
                 AND NEW.id = (SELECT min (a.id) FROM added a WHERE a.order_id = NEW.order_id)
                 AS integer)
    FROM orders o WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, channel_id) DO UPDATE SET
    units = d.units + excluded.units, revenue = d.revenue + excluded.revenue,
    orders = d.orders + excluded.orders;
  RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_aggregate_insert AFTER INSERT ON order_lines
  REFERENCING NEW TABLE AS added
  FOR EACH ROW EXECUTE FUNCTION order_lines_aggregate_insert ();

-- An order leaves the count with its last line: here at the last of the
-- lines one statement deleted (`gone`), once none is left.
CREATE FUNCTION order_lines_aggregate_delete () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_daily SET
    units = sales_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price,
    orders = sales_daily.orders
             - CAST (NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = OLD.order_id)
                     AND OLD.id = (SELECT max (g.id) FROM gone g WHERE g.order_id = OLD.order_id)
                     AS integer)
  FROM orders o
  WHERE o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_daily.day = substr (o.placed_at, 1, 10)
    AND sales_daily.channel_id = ifnull (o.channel_id, 0);
  RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_aggregate_delete AFTER DELETE ON order_lines
  REFERENCING OLD TABLE AS gone
  FOR EACH ROW EXECUTE FUNCTION order_lines_aggregate_delete ();

-- A line moving to another order is counted as SQLite counts it when one
-- statement moves one line; PostgreSQL allows no transition table with
-- UPDATE OF, so a statement moving several lines of one order at once
-- would count that order differently (the store never moves lines).
CREATE FUNCTION order_lines_aggregate_update () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  -- Out of the old order's day as if deleted, into the new as if inserted.
  UPDATE sales_daily SET
    units = sales_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price,
    orders = sales_daily.orders
             - CAST (NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = OLD.order_id)
                     AS integer)
  FROM orders o
  WHERE o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_daily.day = substr (o.placed_at, 1, 10)
    AND sales_daily.channel_id = ifnull (o.channel_id, 0);
  INSERT INTO sales_daily AS d (day, channel_id, units, revenue, orders)
    SELECT substr (o.placed_at, 1, 10), ifnull (o.channel_id, 0),
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price,
           CAST (OLD.order_id <> NEW.order_id
                 AND NOT EXISTS (SELECT 1 FROM order_lines
                                 WHERE order_id = NEW.order_id AND id <> NEW.id) AS integer)
    FROM orders o WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, channel_id) DO UPDATE SET
    units = d.units + excluded.units, revenue = d.revenue + excluded.revenue,
    orders = d.orders + excluded.orders;
  RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_aggregate_update
  AFTER UPDATE OF quantity, refunded, price, order_id ON order_lines
  FOR EACH ROW
  WHEN (OLD.quantity <> NEW.quantity OR OLD.refunded <> NEW.refunded
        OR OLD.price <> NEW.price OR OLD.order_id <> NEW.order_id)
  EXECUTE FUNCTION order_lines_aggregate_update ();

CREATE FUNCTION order_lines_variant_sales_insert () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sales_variant_daily AS d (day, variant_id, units, revenue)
    SELECT substr (o.placed_at, 1, 10), NEW.variant_id,
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price
    FROM orders o WHERE o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, variant_id) DO UPDATE SET
    units = d.units + excluded.units, revenue = d.revenue + excluded.revenue;
  RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_variant_sales_insert AFTER INSERT ON order_lines
  FOR EACH ROW WHEN (NEW.variant_id IS NOT NULL)
  EXECUTE FUNCTION order_lines_variant_sales_insert ();

CREATE FUNCTION order_lines_variant_sales_delete () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_variant_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price
  FROM orders o
  WHERE o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_variant_daily.day = substr (o.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = OLD.variant_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_variant_sales_delete AFTER DELETE ON order_lines
  FOR EACH ROW WHEN (OLD.variant_id IS NOT NULL)
  EXECUTE FUNCTION order_lines_variant_sales_delete ();

CREATE FUNCTION order_lines_variant_sales_update () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_variant_daily SET
    units = sales_variant_daily.units - (OLD.quantity - OLD.refunded),
    revenue = sales_variant_daily.revenue - (OLD.quantity - OLD.refunded) * OLD.price
  FROM orders o
  WHERE OLD.variant_id IS NOT NULL AND o.id = OLD.order_id AND o.status <> 'cancelled'
    AND sales_variant_daily.day = substr (o.placed_at, 1, 10)
    AND sales_variant_daily.variant_id = OLD.variant_id;
  INSERT INTO sales_variant_daily AS d (day, variant_id, units, revenue)
    SELECT substr (o.placed_at, 1, 10), NEW.variant_id,
           NEW.quantity - NEW.refunded, (NEW.quantity - NEW.refunded) * NEW.price
    FROM orders o
    WHERE NEW.variant_id IS NOT NULL AND o.id = NEW.order_id AND o.status <> 'cancelled'
  ON CONFLICT (day, variant_id) DO UPDATE SET
    units = d.units + excluded.units, revenue = d.revenue + excluded.revenue;
  RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_variant_sales_update
  AFTER UPDATE OF quantity, refunded, price, order_id, variant_id ON order_lines
  FOR EACH ROW
  WHEN (OLD.quantity <> NEW.quantity OR OLD.refunded <> NEW.refunded
        OR OLD.price <> NEW.price OR OLD.order_id <> NEW.order_id
        OR OLD.variant_id IS DISTINCT FROM NEW.variant_id)
  EXECUTE FUNCTION order_lines_variant_sales_update ();

-- Rolling per-variant sales -----------------------------------------------------

CREATE FUNCTION sales_variant_daily_insert () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO sales_variant_recent AS r (variant_id, units, revenue)
    SELECT NEW.variant_id, NEW.units, NEW.revenue FROM sales_window w
    WHERE NEW.day >= w.first_day AND NEW.day < w.end_day
  ON CONFLICT (variant_id) DO UPDATE SET
    units = r.units + excluded.units, revenue = r.revenue + excluded.revenue;
  RETURN NULL;
END
$$;

CREATE TRIGGER sales_variant_daily_insert AFTER INSERT ON sales_variant_daily
  FOR EACH ROW EXECUTE FUNCTION sales_variant_daily_insert ();

CREATE FUNCTION sales_variant_daily_update () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_variant_recent SET units = units - OLD.units, revenue = revenue - OLD.revenue
  WHERE variant_id = OLD.variant_id
    AND EXISTS (SELECT 1 FROM sales_window w WHERE OLD.day >= w.first_day AND OLD.day < w.end_day);
  INSERT INTO sales_variant_recent AS r (variant_id, units, revenue)
    SELECT NEW.variant_id, NEW.units, NEW.revenue FROM sales_window w
    WHERE NEW.day >= w.first_day AND NEW.day < w.end_day
  ON CONFLICT (variant_id) DO UPDATE SET
    units = r.units + excluded.units, revenue = r.revenue + excluded.revenue;
  RETURN NULL;
END
$$;

CREATE TRIGGER sales_variant_daily_update AFTER UPDATE ON sales_variant_daily
  FOR EACH ROW EXECUTE FUNCTION sales_variant_daily_update ();

CREATE FUNCTION sales_variant_daily_delete () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sales_variant_recent SET units = units - OLD.units, revenue = revenue - OLD.revenue
  WHERE variant_id = OLD.variant_id
    AND EXISTS (SELECT 1 FROM sales_window w WHERE OLD.day >= w.first_day AND OLD.day < w.end_day);
  RETURN NULL;
END
$$;

CREATE TRIGGER sales_variant_daily_delete AFTER DELETE ON sales_variant_daily
  FOR EACH ROW EXECUTE FUNCTION sales_variant_daily_delete ();

-- Channel links and remote variants ---------------------------------------------

-- A remote variant goes from the unmatched list as soon as it is linked.
CREATE FUNCTION channel_links_clear_remote () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM remote_variants
  WHERE channel_id = NEW.channel_id AND remote_variant_id = NEW.remote_variant_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER channel_links_clear_remote_insert AFTER INSERT ON channel_links
  FOR EACH ROW EXECUTE FUNCTION channel_links_clear_remote ();
CREATE TRIGGER channel_links_clear_remote_update
  AFTER UPDATE OF remote_variant_id ON channel_links
  FOR EACH ROW EXECUTE FUNCTION channel_links_clear_remote ();

-- The first remote level of an imported variant at a mapped location is its
-- opening stock there: one `sync` movement with the channel as source.
CREATE FUNCTION channel_levels_import_opening () RETURNS trigger
  LANGUAGE plpgsql AS $$
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
  RETURN NULL;
END
$$;

CREATE TRIGGER channel_levels_import_opening AFTER INSERT ON channel_levels
  FOR EACH ROW WHEN (NEW.quantity > 0)
  EXECUTE FUNCTION channel_levels_import_opening ();

-- Live updates ---------------------------------------------------------------
-- Every OmniStock window on a shared store LISTENs on omnistock_changes
-- (src/core/omni-store-watch.c). One notification per writing statement,
-- sent by PostgreSQL when the transaction commits and folded into one when
-- a transaction repeats it; a rolled-back change sends nothing.
CREATE FUNCTION omni_notify_change () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify ('omnistock_changes', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER zz_notify_products AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION omni_notify_change ();
CREATE TRIGGER zz_notify_variants AFTER INSERT OR UPDATE OR DELETE ON variants
  FOR EACH STATEMENT EXECUTE FUNCTION omni_notify_change ();
CREATE TRIGGER zz_notify_locations AFTER INSERT OR UPDATE OR DELETE ON locations
  FOR EACH STATEMENT EXECUTE FUNCTION omni_notify_change ();
CREATE TRIGGER zz_notify_stock_levels AFTER INSERT OR UPDATE OR DELETE ON stock_levels
  FOR EACH STATEMENT EXECUTE FUNCTION omni_notify_change ();
CREATE TRIGGER zz_notify_count_lines AFTER INSERT OR UPDATE OR DELETE ON count_lines
  FOR EACH STATEMENT EXECUTE FUNCTION omni_notify_change ();
CREATE TRIGGER zz_notify_channels AFTER INSERT OR UPDATE OR DELETE ON channels
  FOR EACH STATEMENT EXECUTE FUNCTION omni_notify_change ();
