-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 8: count scans made on a till while the shared
-- store's server was out of reach, sent later. Runs inside one transaction.

-- Each such scan carries an operation id: a replay cut off after the
-- server's commit sends it again, and it is recognised here instead of
-- being added twice. variant_id is NULL for a code no variant had.
CREATE TABLE count_scan_ops (
  op_id      TEXT PRIMARY KEY CHECK (length (op_id) BETWEEN 1 AND 200),
  session_id INTEGER NOT NULL REFERENCES count_sessions (id) ON DELETE CASCADE,
  variant_id INTEGER REFERENCES variants (id),
  quantity   INTEGER NOT NULL,
  scanned_at TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE INDEX count_scan_ops_session ON count_scan_ops (session_id);

-- A scan made offline counted the shelf as it was when it was made: on
-- commit, the movements created after that time (not after a ledger
-- position) are added to what was counted. NULL for a scan made online.
ALTER TABLE count_lines ADD COLUMN last_scan_until TEXT;
