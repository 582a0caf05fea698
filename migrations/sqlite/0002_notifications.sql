-- In-app notifications, and an index that lets the summary count an organisation's unarchived
-- credentials from the index alone.

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
