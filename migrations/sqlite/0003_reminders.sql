-- Notification settings, expiry reminders and the email outbox.
--
-- Exactly-once: a reminder is claimed by inserting its reminder_claims row, in the same
-- transaction that writes the in-app notification or queues the email in the outbox; the
-- primary key (credential, version, lead time, channel) refuses a second claim, whichever node or
-- restart tries it. Emails are then delivered from the outbox, each row at most once at a time.

-- One row per user who changed their settings; a user without a row has the defaults.
CREATE TABLE notification_settings (
  user_id          TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  org_id           TEXT NOT NULL REFERENCES organizations(id),
  email            INTEGER NOT NULL DEFAULT 1,
  in_app           INTEGER NOT NULL DEFAULT 1,
  expiry_reminders INTEGER NOT NULL DEFAULT 1,
  days_before      TEXT NOT NULL DEFAULT '30,7,1',  -- comma-separated lead times in days
  on_expiry        INTEGER NOT NULL DEFAULT 1,
  manager_digest   INTEGER NOT NULL DEFAULT 0,
  updated_at       INTEGER NOT NULL
);
-- The lead-time lists an organisation's users chose, read from the index alone: the scan's
-- window of expiry dates.
CREATE INDEX notification_settings_by_org_days ON notification_settings (org_id, days_before);
-- The managers who asked for the daily digest, found without reading every user's settings.
CREATE INDEX notification_settings_digest ON notification_settings (org_id)
  WHERE manager_digest = 1;

-- lead_days 0 is the notice on the day of expiry. outcome 'superseded': claimed without being
-- sent because a more urgent reminder of the same credential went out in the same pass.
CREATE TABLE reminder_claims (
  credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL,
  lead_days     INTEGER NOT NULL,
  channel       TEXT NOT NULL CHECK (channel IN ('email', 'in_app')),
  org_id        TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('expiry_reminder', 'expired')),
  outcome       TEXT NOT NULL CHECK (outcome IN ('sent', 'superseded')),
  local_date    TEXT NOT NULL,  -- the organisation's date when claimed
  claimed_at    INTEGER NOT NULL,
  PRIMARY KEY (credential_id, version, lead_days, channel)
) WITHOUT ROWID;

-- One row per manager, day and channel: the daily digest goes out once.
CREATE TABLE digest_claims (
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  local_date TEXT NOT NULL,
  channel    TEXT NOT NULL CHECK (channel IN ('email', 'in_app')),
  org_id     TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, local_date, channel)
) WITHOUT ROWID;

-- Emails, rendered when claimed, delivered by the scheduler. dedupe_key names what the email is
-- about ('reminder:<credential>:<version>:<lead>', 'digest:<user>:<date>',
-- 'notice:<notification id>'), so the same email is never queued twice.
-- status: pending (waiting for next_attempt_at), sending (leased to one sender until
-- lease_until), sent, failed (gave up after the last attempt).
CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  dedupe_key      TEXT NOT NULL UNIQUE,
  org_id          TEXT NOT NULL REFERENCES organizations(id),
  user_id         TEXT,
  credential_id   TEXT,  -- what it is about, if a credential (no foreign key: the email outlives it)
  kind            TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
-- What the sender reads: pending rows by due time, and leases that ran out (a sender that
-- died mid-message).
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_leased ON outbox (lease_until) WHERE status = 'sending';
CREATE INDEX outbox_by_status ON outbox (status);
