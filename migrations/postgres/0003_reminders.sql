-- Notification settings, expiry reminders and the email outbox. The same step as
-- migrations/sqlite/0003 (which explains the exactly-once claims).

CREATE TABLE notification_settings (
  user_id          text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  org_id           text NOT NULL REFERENCES organizations(id),
  email            smallint NOT NULL DEFAULT 1,
  in_app           smallint NOT NULL DEFAULT 1,
  expiry_reminders smallint NOT NULL DEFAULT 1,
  days_before      text NOT NULL DEFAULT '30,7,1',  -- comma-separated lead times in days
  on_expiry        smallint NOT NULL DEFAULT 1,
  manager_digest   smallint NOT NULL DEFAULT 0,
  updated_at       bigint NOT NULL
);
CREATE INDEX notification_settings_by_org_days ON notification_settings (org_id, days_before);
CREATE INDEX notification_settings_digest ON notification_settings (org_id)
  WHERE manager_digest = 1;

CREATE TABLE reminder_claims (
  credential_id text NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
  version       integer NOT NULL,
  lead_days     integer NOT NULL,
  channel       text NOT NULL CHECK (channel IN ('email', 'in_app')),
  org_id        text NOT NULL,
  user_id       text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('expiry_reminder', 'expired')),
  outcome       text NOT NULL CHECK (outcome IN ('sent', 'superseded')),
  local_date    date NOT NULL,  -- the organisation's date when claimed
  claimed_at    bigint NOT NULL,
  PRIMARY KEY (credential_id, version, lead_days, channel)
);

CREATE TABLE digest_claims (
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  local_date date NOT NULL,
  channel    text NOT NULL CHECK (channel IN ('email', 'in_app')),
  org_id     text NOT NULL,
  claimed_at bigint NOT NULL,
  PRIMARY KEY (user_id, local_date, channel)
);

-- status: pending, sending (leased to one sender until lease_until), sent, failed. A sender
-- claims a row with one UPDATE whose candidate is chosen FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id              text NOT NULL UNIQUE,
  dedupe_key      text NOT NULL UNIQUE,
  org_id          text NOT NULL REFERENCES organizations(id),
  user_id         text,
  credential_id   text,  -- what it is about, if a credential (no foreign key: the email outlives it)
  kind            text NOT NULL,
  recipient       text NOT NULL,
  subject         text NOT NULL,
  text_body       text NOT NULL,
  html_body       text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  lease_until     bigint,
  last_error      text,
  created_at      bigint NOT NULL,
  sent_at         bigint
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE status = 'sending';
CREATE INDEX outbox_by_status ON outbox (status);
