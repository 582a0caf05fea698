-- The foundation: organisations, permission sets, users, sign-in, credential types, credentials
-- and their versions, and the activity log.
-- Timestamps are INTEGER milliseconds since the Unix epoch (UTC); dates are TEXT 'YYYY-MM-DD',
-- which sorts as dates do. Columns named *_key hold the lower-cased value used for uniqueness and
-- case-insensitive search.

CREATE TABLE organizations (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL,
  timezone           TEXT NOT NULL DEFAULT 'UTC',
  date_format        TEXT NOT NULL DEFAULT 'YYYY-MM-DD',
  media_required     INTEGER NOT NULL DEFAULT 0,
  approvals_required INTEGER NOT NULL DEFAULT 0,
  expiring_soon_days INTEGER NOT NULL DEFAULT 30,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);

CREATE TABLE permission_sets (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  name        TEXT NOT NULL,
  name_key    TEXT NOT NULL,
  permissions INTEGER NOT NULL,  -- bit mask, see domain/permissions.h
  builtin     INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (org_id, name_key)
);

CREATE TABLE users (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  email             TEXT NOT NULL,
  email_key         TEXT NOT NULL,
  name              TEXT NOT NULL,
  name_key          TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('active', 'deactivated')),
  permission_set_id TEXT NOT NULL REFERENCES permission_sets(id),
  password_hash     TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (org_id, email_key)
);
CREATE INDEX users_by_email ON users (email_key);
CREATE INDEX users_by_name ON users (org_id, name_key, id);
CREATE INDEX users_by_permission_set ON users (permission_set_id);

CREATE TABLE sessions (
  id_hash    TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES organizations(id),
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES organizations(id),
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);

CREATE TABLE credential_types (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id),
  name          TEXT NOT NULL,
  name_key      TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  expires       INTEGER NOT NULL DEFAULT 1,
  reminder_days TEXT,  -- comma-separated days, NULL: the users' own lead times
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (org_id, name_key)
);

-- A credential row carries its latest version's fields, written in the same transaction as the
-- version, so lists, filters and counts never join or scan the versions.
CREATE TABLE credentials (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  user_id           TEXT NOT NULL REFERENCES users(id),
  type_id           TEXT NOT NULL REFERENCES credential_types(id),
  archived          INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL,
  issue_date        TEXT NOT NULL,
  expiry_date       TEXT,
  credential_number TEXT NOT NULL DEFAULT '',
  number_key        TEXT NOT NULL DEFAULT '',
  approval_status   TEXT NOT NULL,
  etag_counter      INTEGER NOT NULL DEFAULT 1,
  created_at        INTEGER NOT NULL,
  created_by        TEXT,
  updated_at        INTEGER NOT NULL,
  updated_by        TEXT
);
CREATE INDEX credentials_by_user ON credentials (org_id, user_id, type_id, number_key);
CREATE INDEX credentials_by_type ON credentials (org_id, type_id);
CREATE INDEX credentials_by_expiry ON credentials (org_id, archived, expiry_date, id);
CREATE INDEX credentials_by_approval ON credentials (org_id, archived, approval_status);
CREATE INDEX credentials_by_updated ON credentials (org_id, archived, updated_at, id);

CREATE TABLE credential_versions (
  credential_id     TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
  version           INTEGER NOT NULL,
  issue_date        TEXT NOT NULL,
  expiry_date       TEXT,
  credential_number TEXT NOT NULL DEFAULT '',
  approval_status   TEXT NOT NULL,
  rejection_reason  TEXT,
  approved_by       TEXT,
  approved_at       INTEGER,
  created_at        INTEGER NOT NULL,
  created_by        TEXT,
  updated_at        INTEGER NOT NULL,
  updated_by        TEXT,
  PRIMARY KEY (credential_id, version)
);

-- Append-only. seq orders entries as they were written.
CREATE TABLE activity (
  seq               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  org_id            TEXT NOT NULL,
  at                INTEGER NOT NULL,
  actor_id          TEXT,
  actor_name        TEXT NOT NULL DEFAULT '',
  action            TEXT NOT NULL,
  entity            TEXT NOT NULL,
  entity_id         TEXT NOT NULL,
  subject_user_id   TEXT,
  subject_user_name TEXT,
  credential_id     TEXT,
  version           INTEGER
);
CREATE INDEX activity_by_org ON activity (org_id, seq);
CREATE INDEX activity_by_credential ON activity (credential_id, version, seq);
CREATE INDEX activity_by_actor ON activity (org_id, actor_id, seq);
CREATE INDEX activity_by_subject ON activity (org_id, subject_user_id, seq);

CREATE TABLE activity_changes (
  activity_seq INTEGER NOT NULL REFERENCES activity(seq),
  position     INTEGER NOT NULL,
  field        TEXT NOT NULL,
  old_value    TEXT,
  new_value    TEXT,
  PRIMARY KEY (activity_seq, position)
);
