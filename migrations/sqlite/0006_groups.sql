-- Groups, memberships, requirements, exemptions and the ledger of requirement notices
-- (spec/REQUIREMENTS.md). Compliance itself is never stored: it is computed on read from these
-- rows and the members' credentials (domain/compliance.h).
--
-- Every read that feeds compliance starts from one group's memberships or one user's, and reaches
-- credentials through credentials_by_user (org_id, user_id, type_id, …): its cost grows with the
-- group's members and requirements, never with the organisation's credentials.

CREATE TABLE user_groups (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  name        TEXT NOT NULL,
  name_key    TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (org_id, name_key)
);
CREATE INDEX user_groups_by_name ON user_groups (org_id, name_key, id);

-- since: the local date the membership began (grace periods count from it).
CREATE TABLE memberships (
  group_id   TEXT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
  user_id    TEXT NOT NULL REFERENCES users(id),
  org_id     TEXT NOT NULL,
  since      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships (org_id, user_id, group_id);

-- types_revision grows by one whenever the requirement's credential types change: a notice
-- claimed for an older revision may be sent again.
CREATE TABLE requirements (
  id                 TEXT PRIMARY KEY,
  org_id             TEXT NOT NULL REFERENCES organizations(id),
  group_id           TEXT NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
  position           INTEGER NOT NULL,  -- the group's order: 1, 2, … as added
  min_days_remaining INTEGER NOT NULL DEFAULT 0,
  grace_days         INTEGER NOT NULL DEFAULT 0,
  enforcement        TEXT NOT NULL CHECK (enforcement IN ('block', 'warn')),
  types_revision     INTEGER NOT NULL DEFAULT 1,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX requirements_by_group ON requirements (group_id, position, id);

-- A requirement's alternatives, in the order given. The reference to credential_types keeps a
-- named type from being deleted (the service answers 409 type_in_use before that).
CREATE TABLE requirement_types (
  requirement_id TEXT NOT NULL REFERENCES requirements(id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  type_id        TEXT NOT NULL REFERENCES credential_types(id),
  org_id         TEXT NOT NULL,
  PRIMARY KEY (requirement_id, position),
  UNIQUE (requirement_id, type_id)
) WITHOUT ROWID;
CREATE INDEX requirement_types_by_type ON requirement_types (org_id, type_id);

-- A revoked exemption is deleted (the activity log keeps it).
CREATE TABLE exemptions (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL,
  requirement_id TEXT NOT NULL REFERENCES requirements(id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL REFERENCES users(id),
  reason         TEXT NOT NULL,
  expires_on     TEXT,
  granted_by     TEXT,
  created_at     INTEGER NOT NULL
);
CREATE INDEX exemptions_by_requirement ON exemptions (requirement_id, user_id);
CREATE INDEX exemptions_by_user ON exemptions (org_id, user_id);

-- One row per user and requirement once a notice went out, at the requirement's types_revision
-- of that time: a claim is one INSERT … ON CONFLICT DO UPDATE … WHERE the stored revision is
-- older, so two nodes never both send it.
CREATE TABLE requirement_notices (
  requirement_id TEXT NOT NULL REFERENCES requirements(id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL,
  types_revision INTEGER NOT NULL,
  sent_at        INTEGER NOT NULL,
  PRIMARY KEY (requirement_id, user_id)
) WITHOUT ROWID;
