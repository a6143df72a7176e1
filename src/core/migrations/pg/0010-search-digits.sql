-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema on PostgreSQL, version 10. SQLite's version 10
-- (../0010-search-digits.sql) adds an FTS5 index of the runs of digits,
-- because FTS5 reads long doclists for a barcode's digits. PostgreSQL's
-- trigram index answers them from its GIN index as it is; this only says
-- so. Runs inside one transaction.

COMMENT ON TABLE search_index IS
  'Folded text of each variant. SQLite also keeps search_digits, the runs of digits on their own.';
