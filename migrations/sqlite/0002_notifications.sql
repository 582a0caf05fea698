-- In-app notifications, and indexes for the summary (counted from the index alone) and for
-- the foreign-key check when a credential type is deleted.

CREATE TABLE notifications (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  org_id        TEXT NOT NULL REFERENCES organizations(id),
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL,
  credential_id TEXT,
  title         TEXT NOT NULL,
  body          TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  read_at       INTEGER
);
CREATE INDEX notifications_by_user ON notifications (user_id, seq);
CREATE INDEX notifications_unread ON notifications (user_id, seq) WHERE read_at IS NULL;

CREATE INDEX credentials_summary ON credentials (org_id, archived, type_id, expiry_date, approval_status);

-- Deleting a credential type checks the foreign key from credentials; without an index led by
-- type_id that check walks an index of the whole table.
DROP INDEX credentials_by_type;
CREATE INDEX credentials_by_type ON credentials (type_id);
