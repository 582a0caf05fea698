-- Counts of credentials, kept by triggers, so that the summary and a type's credential count
-- read a few thousand count rows instead of every credential (a million credentials: the
-- summary took 1.2 s a request, a type lookup 2 ms).
--
-- A credential's expiry status depends on the day, so counts by status cannot be stored; counts
-- by expiry date can. The summary needs, per type, how many unarchived credentials expire before
-- today and how many by today + expiring_soon_days. Each such "expiring by day X" is the months
-- before X's month (credential_counts_by_month, a few dozen rows a type) plus X's own month up
-- to X (credential_counts_by_day, at most 31 rows a type); both count unarchived credentials
-- only. credential_counts_by_approval counts every credential, archived or not, by approval
-- status and whether it has an expiry date: totals, pending, rejected and dated for the
-- summary, and the type's credential_count. Each table's key starts with (org_id, type_id) so
-- that a type's counts are one short range.
--
-- The triggers are the only writers: every path that writes credentials (one at a time, bulk
-- actions, CSV imports, deletes) keeps the counts in its own transaction. Rows that fall to zero
-- stay (a few per type and day; they read as nothing).

CREATE TABLE credential_counts_by_approval (
  org_id          TEXT NOT NULL,
  type_id         TEXT NOT NULL,
  archived        INTEGER NOT NULL,
  approval_status TEXT NOT NULL,
  dated           INTEGER NOT NULL,  -- 1 if the credential has an expiry date
  n               INTEGER NOT NULL,
  PRIMARY KEY (org_id, type_id, archived, approval_status, dated)
) WITHOUT ROWID;

CREATE TABLE credential_counts_by_month (
  org_id  TEXT NOT NULL,
  type_id TEXT NOT NULL,
  month   TEXT NOT NULL,  -- YYYY-MM of the expiry date
  n       INTEGER NOT NULL,
  PRIMARY KEY (org_id, type_id, month)
) WITHOUT ROWID;

CREATE TABLE credential_counts_by_day (
  org_id      TEXT NOT NULL,
  type_id     TEXT NOT NULL,
  expiry_date TEXT NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (org_id, type_id, expiry_date)
) WITHOUT ROWID;

INSERT INTO credential_counts_by_approval
  SELECT org_id, type_id, archived, approval_status, expiry_date IS NOT NULL, COUNT(*)
  FROM credentials
  GROUP BY org_id, type_id, archived, approval_status, expiry_date IS NOT NULL;
INSERT INTO credential_counts_by_month
  SELECT org_id, type_id, substr(expiry_date, 1, 7), COUNT(*) FROM credentials
  WHERE archived = 0 AND expiry_date IS NOT NULL
  GROUP BY org_id, type_id, substr(expiry_date, 1, 7);
INSERT INTO credential_counts_by_day
  SELECT org_id, type_id, expiry_date, COUNT(*) FROM credentials
  WHERE archived = 0 AND expiry_date IS NOT NULL
  GROUP BY org_id, type_id, expiry_date;

CREATE TRIGGER credentials_counted_on_insert AFTER INSERT ON credentials
BEGIN
  INSERT INTO credential_counts_by_approval
    VALUES (NEW.org_id, NEW.type_id, NEW.archived, NEW.approval_status,
            NEW.expiry_date IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO credential_counts_by_month
    SELECT NEW.org_id, NEW.type_id, substr(NEW.expiry_date, 1, 7), 1
    WHERE NEW.archived = 0 AND NEW.expiry_date IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO credential_counts_by_day
    SELECT NEW.org_id, NEW.type_id, NEW.expiry_date, 1
    WHERE NEW.archived = 0 AND NEW.expiry_date IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER credentials_uncounted_on_delete AFTER DELETE ON credentials
BEGIN
  UPDATE credential_counts_by_approval SET n = n - 1
    WHERE org_id = OLD.org_id AND type_id = OLD.type_id AND archived = OLD.archived
      AND approval_status = OLD.approval_status AND dated = (OLD.expiry_date IS NOT NULL);
  UPDATE credential_counts_by_month SET n = n - 1
    WHERE OLD.archived = 0
      AND org_id = OLD.org_id AND type_id = OLD.type_id AND month = substr(OLD.expiry_date, 1, 7);
  UPDATE credential_counts_by_day SET n = n - 1
    WHERE OLD.archived = 0
      AND org_id = OLD.org_id AND type_id = OLD.type_id AND expiry_date = OLD.expiry_date;
END;

-- An update that changes what is counted takes the old row out and puts the new one in.
CREATE TRIGGER credentials_recounted_on_update AFTER UPDATE ON credentials
WHEN OLD.archived IS NOT NEW.archived OR OLD.org_id IS NOT NEW.org_id
  OR OLD.type_id IS NOT NEW.type_id OR OLD.expiry_date IS NOT NEW.expiry_date
  OR OLD.approval_status IS NOT NEW.approval_status
BEGIN
  UPDATE credential_counts_by_approval SET n = n - 1
    WHERE org_id = OLD.org_id AND type_id = OLD.type_id AND archived = OLD.archived
      AND approval_status = OLD.approval_status AND dated = (OLD.expiry_date IS NOT NULL);
  UPDATE credential_counts_by_month SET n = n - 1
    WHERE OLD.archived = 0
      AND org_id = OLD.org_id AND type_id = OLD.type_id AND month = substr(OLD.expiry_date, 1, 7);
  UPDATE credential_counts_by_day SET n = n - 1
    WHERE OLD.archived = 0
      AND org_id = OLD.org_id AND type_id = OLD.type_id AND expiry_date = OLD.expiry_date;
  INSERT INTO credential_counts_by_approval
    VALUES (NEW.org_id, NEW.type_id, NEW.archived, NEW.approval_status,
            NEW.expiry_date IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO credential_counts_by_month
    SELECT NEW.org_id, NEW.type_id, substr(NEW.expiry_date, 1, 7), 1
    WHERE NEW.archived = 0 AND NEW.expiry_date IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO credential_counts_by_day
    SELECT NEW.org_id, NEW.type_id, NEW.expiry_date, 1
    WHERE NEW.archived = 0 AND NEW.expiry_date IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
