-- The foundation: organisations, permission sets, users, sign-in, credential types, credentials
-- and their versions, and the activity log. The same step as migrations/sqlite/0001.
--
-- Types (docs/architecture.md, Storage): timestamps are bigint milliseconds since the Unix epoch
-- (UTC), as on SQLite, so that every instant is one exact integer on both engines; dates are
-- `date`; flags are smallint 0/1 and ids text, so that both engines run the same statement
-- text. Columns named *_key hold the lower-cased value used for uniqueness and
-- case-insensitive search.

CREATE TABLE organizations (
  id                 text PRIMARY KEY,
  name               text NOT NULL,
  timezone           text NOT NULL DEFAULT 'UTC',
  date_format        text NOT NULL DEFAULT 'YYYY-MM-DD',
  media_required     smallint NOT NULL DEFAULT 0,
  approvals_required smallint NOT NULL DEFAULT 0,
  expiring_soon_days integer NOT NULL DEFAULT 30,
  created_at         bigint NOT NULL,
  updated_at         bigint NOT NULL
);

CREATE TABLE permission_sets (
  id          text PRIMARY KEY,
  org_id      text NOT NULL REFERENCES organizations(id),
  name        text NOT NULL,
  name_key    text NOT NULL,
  permissions bigint NOT NULL,  -- bit mask, see domain/permissions.h
  builtin     smallint NOT NULL DEFAULT 0,
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  UNIQUE (org_id, name_key)
);

CREATE TABLE users (
  id                text PRIMARY KEY,
  org_id            text NOT NULL REFERENCES organizations(id),
  email             text NOT NULL,
  email_key         text NOT NULL,
  name              text NOT NULL,
  name_key          text NOT NULL,
  status            text NOT NULL CHECK (status IN ('active', 'deactivated')),
  permission_set_id text NOT NULL REFERENCES permission_sets(id),
  password_hash     text NOT NULL DEFAULT '',
  created_at        bigint NOT NULL,
  updated_at        bigint NOT NULL,
  UNIQUE (org_id, email_key)
);
CREATE INDEX users_by_email ON users (email_key);
CREATE INDEX users_by_name ON users (org_id, name_key, id);
CREATE INDEX users_by_permission_set ON users (permission_set_id);

CREATE TABLE sessions (
  id_hash    text PRIMARY KEY,
  org_id     text NOT NULL REFERENCES organizations(id),
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
  id         text PRIMARY KEY,
  org_id     text NOT NULL REFERENCES organizations(id),
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name       text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  created_at bigint NOT NULL
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);

CREATE TABLE credential_types (
  id            text PRIMARY KEY,
  org_id        text NOT NULL REFERENCES organizations(id),
  name          text NOT NULL,
  name_key      text NOT NULL,
  description   text NOT NULL DEFAULT '',
  expires       smallint NOT NULL DEFAULT 1,
  reminder_days text,  -- comma-separated days, NULL: the users' own lead times
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  UNIQUE (org_id, name_key)
);

-- A credential row carries its latest version's fields, written in the same transaction as the
-- version, so lists, filters and counts never join or scan the versions. etag_counter is the
-- revision that conditional updates compare.
CREATE TABLE credentials (
  id                text PRIMARY KEY,
  org_id            text NOT NULL REFERENCES organizations(id),
  user_id           text NOT NULL REFERENCES users(id),
  type_id           text NOT NULL REFERENCES credential_types(id),
  archived          smallint NOT NULL DEFAULT 0,
  version           integer NOT NULL,
  issue_date        date NOT NULL,
  expiry_date       date,
  credential_number text NOT NULL DEFAULT '',
  number_key        text NOT NULL DEFAULT '',
  approval_status   text NOT NULL,
  etag_counter      bigint NOT NULL DEFAULT 1,
  created_at        bigint NOT NULL,
  created_by        text,
  updated_at        bigint NOT NULL,
  updated_by        text
);
CREATE INDEX credentials_by_user ON credentials (org_id, user_id, type_id, number_key);
CREATE INDEX credentials_by_type ON credentials (org_id, type_id);
CREATE INDEX credentials_by_expiry ON credentials (org_id, archived, expiry_date, id);
CREATE INDEX credentials_by_approval ON credentials (org_id, archived, approval_status);
CREATE INDEX credentials_by_updated ON credentials (org_id, archived, updated_at, id);

CREATE TABLE credential_versions (
  credential_id     text NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
  version           integer NOT NULL,
  issue_date        date NOT NULL,
  expiry_date       date,
  credential_number text NOT NULL DEFAULT '',
  approval_status   text NOT NULL,
  rejection_reason  text,
  approved_by       text,
  approved_at       bigint,
  created_at        bigint NOT NULL,
  created_by        text,
  updated_at        bigint NOT NULL,
  updated_by        text,
  PRIMARY KEY (credential_id, version)
);

-- Append-only. seq orders entries as they were written.
CREATE TABLE activity (
  seq               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                text NOT NULL UNIQUE,
  org_id            text NOT NULL,
  at                bigint NOT NULL,
  actor_id          text,
  actor_name        text NOT NULL DEFAULT '',
  action            text NOT NULL,
  entity            text NOT NULL,
  entity_id         text NOT NULL,
  subject_user_id   text,
  subject_user_name text,
  credential_id     text,
  version           integer
);
CREATE INDEX activity_by_org ON activity (org_id, seq);
CREATE INDEX activity_by_credential ON activity (credential_id, version, seq);
CREATE INDEX activity_by_actor ON activity (org_id, actor_id, seq);
CREATE INDEX activity_by_subject ON activity (org_id, subject_user_id, seq);

CREATE TABLE activity_changes (
  activity_seq bigint NOT NULL REFERENCES activity(seq),
  position     integer NOT NULL,
  field        text NOT NULL,
  old_value    text,
  new_value    text,
  PRIMARY KEY (activity_seq, position)
);
