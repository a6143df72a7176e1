-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema on PostgreSQL, version 8: the same as
-- ../0008-offline-counts.sql (count scans made offline on a till, sent
-- later exactly once, counting the shelf as it was when they were made).
-- Runs inside one transaction.

CREATE TABLE count_scan_ops (
  op_id      TEXT PRIMARY KEY CHECK (length (op_id) BETWEEN 1 AND 200),
  session_id BIGINT NOT NULL REFERENCES count_sessions (id) ON DELETE CASCADE,
  variant_id BIGINT REFERENCES variants (id),
  quantity   BIGINT NOT NULL,
  scanned_at TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE INDEX count_scan_ops_session ON count_scan_ops (session_id);

ALTER TABLE count_lines ADD COLUMN last_scan_until TEXT;

UPDATE omni_schema SET version = 8;
