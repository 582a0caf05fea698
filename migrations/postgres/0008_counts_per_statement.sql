-- The counts of 0005 kept once a statement instead of once a row. A row trigger upserts the
-- same few count rows once for every credential a statement writes; inside one transaction
-- each of those updates leaves a row version that nothing can prune before the transaction
-- ends, and every next upsert walks them all: a bulk upload of n credentials of a handful of
-- types and statuses cost O(n²) (measured: 10,000 upserts of one row in one transaction 0.75 s,
-- 20,000 5 s, 40,000 13 s; a million-row import did not finish in an hour). A statement trigger
-- sees the statement's rows as transition tables and adds them up first: one upsert a count
-- row a statement, whether the statement writes one credential or a million (the import's
-- INSERT … SELECT, a COPY). The counts are the same as the row triggers kept: a count row is
-- written only where the statement changed it, and rows that fall to zero stay.

DROP TRIGGER credentials_counted_on_insert ON credentials;
DROP TRIGGER credentials_uncounted_on_delete ON credentials;
DROP TRIGGER credentials_recounted_on_update ON credentials;
DROP FUNCTION credentials_counted();
DROP FUNCTION credential_counts_add(credentials, integer);

-- Adds up a statement's changes (a credential state that came, delta 1, or went, delta -1) per
-- count row and upserts the count rows that changed, in one statement. The triggers name their
-- transition tables alike (before_rows, after_rows) so that one function serves all three; the
-- statement is built for the kind of statement it follows, since an INSERT has no before_rows
-- and a DELETE no after_rows (EXECUTE sees the trigger's transition tables).
CREATE FUNCTION credentials_counted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cols constant text := 'org_id, type_id, archived, approval_status, expiry_date';
  changes text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    changes := format('SELECT %s, 1 AS delta FROM after_rows', cols);
  ELSIF TG_OP = 'DELETE' THEN
    changes := format('SELECT %s, -1 AS delta FROM before_rows', cols);
  ELSE
    -- Only when a counted column changed somewhere (what 0005's WHEN said): most updates are
    -- edits of other fields and skip the work.
    IF NOT EXISTS (
        SELECT 1 FROM before_rows AS o JOIN after_rows AS n ON n.id = o.id
        WHERE (o.archived, o.org_id, o.type_id, o.expiry_date, o.approval_status)
              IS DISTINCT FROM (n.archived, n.org_id, n.type_id, n.expiry_date, n.approval_status))
    THEN
      RETURN NULL;
    END IF;
    changes := format('SELECT %1$s, -1 AS delta FROM before_rows'
                      ' UNION ALL SELECT %1$s, 1 FROM after_rows', cols);
  END IF;
  EXECUTE format($sql$
    WITH changes AS (%s),
    by_approval AS (
      INSERT INTO credential_counts_by_approval AS k
        SELECT org_id, type_id, archived, approval_status, (expiry_date IS NOT NULL)::int,
               sum(delta)
        FROM changes
        GROUP BY org_id, type_id, archived, approval_status, (expiry_date IS NOT NULL)::int
        HAVING sum(delta) <> 0
        ON CONFLICT (org_id, type_id, archived, approval_status, dated)
        DO UPDATE SET n = k.n + excluded.n),
    by_month AS (
      INSERT INTO credential_counts_by_month AS k
        SELECT org_id, type_id, to_char(expiry_date, 'YYYY-MM'), sum(delta)
        FROM changes WHERE archived = 0 AND expiry_date IS NOT NULL
        GROUP BY org_id, type_id, to_char(expiry_date, 'YYYY-MM')
        HAVING sum(delta) <> 0
        ON CONFLICT (org_id, type_id, month) DO UPDATE SET n = k.n + excluded.n)
    INSERT INTO credential_counts_by_day AS k
      SELECT org_id, type_id, expiry_date, sum(delta)
      FROM changes WHERE archived = 0 AND expiry_date IS NOT NULL
      GROUP BY org_id, type_id, expiry_date
      HAVING sum(delta) <> 0
      ON CONFLICT (org_id, type_id, expiry_date) DO UPDATE SET n = k.n + excluded.n
    $sql$, changes);
  RETURN NULL;
END;
$$;

CREATE TRIGGER credentials_counted_on_insert AFTER INSERT ON credentials
  REFERENCING NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION credentials_counted();
CREATE TRIGGER credentials_counted_on_delete AFTER DELETE ON credentials
  REFERENCING OLD TABLE AS before_rows
  FOR EACH STATEMENT EXECUTE FUNCTION credentials_counted();
CREATE TRIGGER credentials_counted_on_update AFTER UPDATE ON credentials
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION credentials_counted();
