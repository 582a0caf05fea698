-- Counts of credentials, kept by triggers, so that the summary and a type's credential count
-- read a few thousand count rows instead of every credential. The same step and the same three
-- tables as migrations/sqlite/0005 (which explains how the summary reads them); here the
-- triggers are one PL/pgSQL function.
--
-- Concurrent writers of credentials of the same type and day meet on the same count rows: each
-- change is one INSERT … ON CONFLICT DO UPDATE, atomic under READ COMMITTED, holding the count
-- row until the transaction ends. Rows that fall to zero stay.

CREATE TABLE credential_counts_by_approval (
  org_id          text NOT NULL,
  type_id         text NOT NULL,
  archived        smallint NOT NULL,
  approval_status text NOT NULL,
  dated           smallint NOT NULL,  -- 1 if the credential has an expiry date
  n               bigint NOT NULL,
  PRIMARY KEY (org_id, type_id, archived, approval_status, dated)
);

CREATE TABLE credential_counts_by_month (
  org_id  text NOT NULL,
  type_id text NOT NULL,
  month   text NOT NULL,  -- YYYY-MM of the expiry date
  n       bigint NOT NULL,
  PRIMARY KEY (org_id, type_id, month)
);

CREATE TABLE credential_counts_by_day (
  org_id      text NOT NULL,
  type_id     text NOT NULL,
  expiry_date date NOT NULL,
  n           bigint NOT NULL,
  PRIMARY KEY (org_id, type_id, expiry_date)
);

INSERT INTO credential_counts_by_approval
  SELECT org_id, type_id, archived, approval_status, (expiry_date IS NOT NULL)::int, COUNT(*)
  FROM credentials
  GROUP BY org_id, type_id, archived, approval_status, (expiry_date IS NOT NULL)::int;
INSERT INTO credential_counts_by_month
  SELECT org_id, type_id, to_char(expiry_date, 'YYYY-MM'), COUNT(*) FROM credentials
  WHERE archived = 0 AND expiry_date IS NOT NULL
  GROUP BY org_id, type_id, to_char(expiry_date, 'YYYY-MM');
INSERT INTO credential_counts_by_day
  SELECT org_id, type_id, expiry_date, COUNT(*) FROM credentials
  WHERE archived = 0 AND expiry_date IS NOT NULL
  GROUP BY org_id, type_id, expiry_date;

-- Adds `delta` (1 or -1) to the counts of one credential row's state.
CREATE FUNCTION credential_counts_add(r credentials, delta integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO credential_counts_by_approval AS k
    VALUES (r.org_id, r.type_id, r.archived, r.approval_status,
            (r.expiry_date IS NOT NULL)::int, delta)
    ON CONFLICT (org_id, type_id, archived, approval_status, dated)
    DO UPDATE SET n = k.n + delta;
  IF r.archived = 0 AND r.expiry_date IS NOT NULL THEN
    INSERT INTO credential_counts_by_month AS k
      VALUES (r.org_id, r.type_id, to_char(r.expiry_date, 'YYYY-MM'), delta)
      ON CONFLICT (org_id, type_id, month) DO UPDATE SET n = k.n + delta;
    INSERT INTO credential_counts_by_day AS k
      VALUES (r.org_id, r.type_id, r.expiry_date, delta)
      ON CONFLICT (org_id, type_id, expiry_date) DO UPDATE SET n = k.n + delta;
  END IF;
END;
$$;

CREATE FUNCTION credentials_counted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM credential_counts_add(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM credential_counts_add(NEW, 1);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER credentials_counted_on_insert AFTER INSERT ON credentials
  FOR EACH ROW EXECUTE FUNCTION credentials_counted();
CREATE TRIGGER credentials_uncounted_on_delete AFTER DELETE ON credentials
  FOR EACH ROW EXECUTE FUNCTION credentials_counted();
CREATE TRIGGER credentials_recounted_on_update AFTER UPDATE ON credentials
  FOR EACH ROW
  WHEN (OLD.archived IS DISTINCT FROM NEW.archived OR OLD.org_id IS DISTINCT FROM NEW.org_id
        OR OLD.type_id IS DISTINCT FROM NEW.type_id
        OR OLD.expiry_date IS DISTINCT FROM NEW.expiry_date
        OR OLD.approval_status IS DISTINCT FROM NEW.approval_status)
  EXECUTE FUNCTION credentials_counted();
