-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 10: runs of six digits indexed on their own. Runs
-- inside one transaction.
--
-- A search for digits only (part of a barcode, scanned or typed) has
-- trigrams that a great share of all entries hold ('000', '123'): FTS5
-- decoded their long doclists to find one row or two, the slowest
-- searches there were. search_digits holds, under each search_index
-- entry's rowid, every run of six digits in the entry's text
-- (omni_digit_grams(), a function of the store's connection, see
-- omni-store-search.c): a million of them can be told apart, where digit
-- trigrams are a thousand. A term of six digits or more is looked for in
-- the entries that hold its own runs of six, then checked in their text.

CREATE VIRTUAL TABLE search_digits USING fts5 (
  grams, tokenize = 'ascii', detail = 'none', columnsize = 0);

INSERT INTO search_digits (rowid, grams)
  SELECT rowid, d
  FROM (SELECT rowid, omni_digit_grams (title, sku, barcode, vendor, tags) AS d
        FROM search_index)
  WHERE d <> ''
  ORDER BY rowid;

INSERT INTO search_digits (search_digits) VALUES ('optimize');
