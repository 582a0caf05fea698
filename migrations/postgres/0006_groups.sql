-- Groups, memberships, requirements, exemptions and the ledger of requirement notices
-- (spec/REQUIREMENTS.md). The same step as migrations/sqlite/0006. Compliance itself is never stored: it is computed on read from these
-- rows and the members' credentials (domain/compliance.h).
--
-- Every read that feeds compliance starts from one group's memberships or one user's, and reaches
-- credentials through credentials_by_user (org_id, user_id, type_id, …): its cost grows with the
-- group's members and requirements, never with the organisation's credentials.

CREATE TABLE user_groups (
  id          text PRIMARY KEY,
  org_id      text NOT NULL REFERENCES organizations(id),
  name        text NOT NULL,
  name_key    text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  UNIQUE (org_id, name_key)
);
CREATE INDEX user_groups_by_name ON user_groups (org_id, name_key, id);

-- since: the local date the membership began (grace periods count from it).
CREATE TABLE memberships (
  group_id   text NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
  user_id    text NOT NULL REFERENCES users(id),
  org_id     text NOT NULL,
  since      date NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (org_id, user_id, group_id);

-- types_revision grows by one whenever the requirement's credential types change: a notice
-- claimed for an older revision may be sent again.
CREATE TABLE requirements (
  id                 text PRIMARY KEY,
  org_id             text NOT NULL REFERENCES organizations(id),
  group_id           text NOT NULL REFERENCES user_groups(id) ON DELETE CASCADE,
  position           integer NOT NULL,  -- the group's order: 1, 2, … as added
  min_days_remaining integer NOT NULL DEFAULT 0,
  grace_days         integer NOT NULL DEFAULT 0,
  enforcement        text NOT NULL CHECK (enforcement IN ('block', 'warn')),
  types_revision     integer NOT NULL DEFAULT 1,
  created_at         bigint NOT NULL,
  updated_at         bigint NOT NULL
);
CREATE INDEX requirements_by_group ON requirements (group_id, position, id);

-- A requirement's alternatives, in the order given. The reference to credential_types keeps a
-- named type from being deleted (the service answers 409 type_in_use before that).
CREATE TABLE requirement_types (
  requirement_id text NOT NULL REFERENCES requirements(id) ON DELETE CASCADE,
  position       integer NOT NULL,
  type_id        text NOT NULL REFERENCES credential_types(id),
  org_id         text NOT NULL,
  PRIMARY KEY (requirement_id, position),
  UNIQUE (requirement_id, type_id)
);
CREATE INDEX requirement_types_by_type ON requirement_types (org_id, type_id);

-- A revoked exemption is deleted (the activity log keeps it).
CREATE TABLE exemptions (
  id             text PRIMARY KEY,
  org_id         text NOT NULL,
  requirement_id text NOT NULL REFERENCES requirements(id) ON DELETE CASCADE,
  user_id        text NOT NULL REFERENCES users(id),
  reason         text NOT NULL,
  expires_on     date,
  granted_by     text,
  created_at     bigint NOT NULL
);
CREATE INDEX exemptions_by_requirement ON exemptions (requirement_id, user_id);
CREATE INDEX exemptions_by_user ON exemptions (org_id, user_id);

-- One row per user and requirement once a notice went out, at the requirement's types_revision
-- of that time: a claim is one INSERT … ON CONFLICT DO UPDATE … WHERE the stored revision is
-- older, so two nodes never both send it.
CREATE TABLE requirement_notices (
  requirement_id text NOT NULL REFERENCES requirements(id) ON DELETE CASCADE,
  user_id        text NOT NULL,
  types_revision integer NOT NULL,
  sent_at        bigint NOT NULL,
  PRIMARY KEY (requirement_id, user_id)
);
