-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema on PostgreSQL, version 9. SQLite's version 9
-- (../0009-search-order.sql) keys its FTS5 search index by each variant's
-- place in title order. PostgreSQL's trigram index returns no order of its
-- own, so its search_index stays keyed by variant id; this only says so.
-- Runs inside one transaction.

COMMENT ON COLUMN search_index.rowid IS
  'The variant id. On SQLite the search index is keyed by title order instead (search_ranks).';
