-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- OmniStock schema, version 9: the search index in title order. Runs
-- inside one transaction.
--
-- FTS5 hands out its matches in rowid order. Keyed by variant id, a search
-- for common text had to find every match and sort them by title to show
-- the first fifty; keyed by each variant's place in the list's title order
-- (p.title COLLATE NOCASE, p.id, v.position, v.id), the first fifty matches
-- it finds are the page. search_ranks maps the two.
--
-- Ranks below 2^62 are in title order, from 2^40 (room for titles that
-- sort before the first) and 1024 apart, so that a new or renamed variant
-- takes a rank between its neighbours' (see omni-store-search.c). One that finds no room goes to the tail, at 2^62
-- and up, in no order: a search reads the tail whole and sorts it, and an
-- import renumbers the whole index when the tail grows.
CREATE TABLE search_ranks (
  variant_id INTEGER PRIMARY KEY REFERENCES variants (id),
  rank       INTEGER NOT NULL UNIQUE CHECK (rank > 0)
) STRICT;

INSERT INTO search_ranks (variant_id, rank)
  SELECT v.id, 1099511627776 + row_number () OVER (ORDER BY p.title COLLATE NOCASE, p.id,
                                                    v.position, v.id) * 1024
  FROM variants v JOIN products p ON p.id = v.product_id
  WHERE v.id IN (SELECT rowid FROM search_index);

CREATE VIRTUAL TABLE search_order USING fts5 (
  title, sku, barcode, vendor, tags,
  tokenize = 'trigram'
);

INSERT INTO search_order (rowid, title, sku, barcode, vendor, tags)
  SELECT r.rank, s.title, s.sku, s.barcode, s.vendor, s.tags
  FROM search_ranks r JOIN search_index s ON s.rowid = r.variant_id
  ORDER BY r.rank;

DROP TABLE search_index;
ALTER TABLE search_order RENAME TO search_index;

-- One segment: FTS5 then reads one doclist per term, not one per segment.
INSERT INTO search_index (search_index) VALUES ('optimize');
