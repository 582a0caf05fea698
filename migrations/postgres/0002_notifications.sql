-- In-app notifications, and indexes for the summary and for the foreign-key check when a
-- credential type is deleted. The same step as migrations/sqlite/0002.

CREATE TABLE notifications (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id            text NOT NULL UNIQUE,
  org_id        text NOT NULL REFERENCES organizations(id),
  user_id       text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind          text NOT NULL,
  credential_id text,
  title         text NOT NULL,
  body          text NOT NULL DEFAULT '',
  created_at    bigint NOT NULL,
  read_at       bigint
);
CREATE INDEX notifications_by_user ON notifications (user_id, seq);
CREATE INDEX notifications_unread ON notifications (user_id, seq) WHERE read_at IS NULL;

CREATE INDEX credentials_summary ON credentials (org_id, archived, type_id, expiry_date, approval_status);

-- Deleting a credential type checks the foreign key from credentials: an index led by type_id.
DROP INDEX credentials_by_type;
CREATE INDEX credentials_by_type ON credentials (type_id);
