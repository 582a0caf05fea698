-- Failed sign-ins, counted by the throttle (service/throttle.h) in the database so that every
-- node of a cluster sees the same counts: five wrong passwords spread over two nodes are five.
-- A row is one failure under one key: the SHA-256 of "pair", "account" or "address" and the
-- value, so neither emails nor addresses are kept in clear. Rows older than the window are
-- deleted as new failures arrive. The same step as migrations/postgres/0007.
CREATE TABLE login_failures (
  key_hash  TEXT NOT NULL,
  failed_at INTEGER NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key_hash, failed_at);
CREATE INDEX login_failures_by_time ON login_failures (failed_at);
