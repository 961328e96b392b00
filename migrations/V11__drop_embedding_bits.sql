-- eros-engine schema, version 11: the binary-quantized copy of the embedding goes.
--
-- V2 added embedding_bits (the sign bits of each embedding, a generated column) and its covering
-- index companion_memories_bits for a Hamming-distance prefilter before the exact scan. Measured at
-- 1M rows (BENCHMARKS.md, "Keyword path at scale"), it did not pay: a 10k-memory user took p50 9.4 ms
-- with a prefilter of 400 against 4.1 ms exact, and a prefilter of 200 lost recall (0.9959). The
-- engine always ran the exact scan, so nothing reads them; every insert still paid for the column and
-- the index (152 MB at 1M rows). Dropping a column is a catalog change: the table is not rewritten.
DROP INDEX companion_memories_bits;
ALTER TABLE companion_memories DROP COLUMN embedding_bits;
