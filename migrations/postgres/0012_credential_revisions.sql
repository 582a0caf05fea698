-- 0010's summary revision, widened to everything a credential read shows (the summary and every
-- page of GET /api/v1/credentials). The same step as migrations/sqlite/0012, which says why and
-- what is watched.
--
-- Statement triggers, as 0010. The organisation's row stays locked until the transaction ends,
-- so now every writer of an organisation's credentials commits in turn, not only those that
-- change its counts (they already did: they upsert 0008's count rows); a file, a number or a
-- name change waits for them too.

ALTER TABLE credential_summary_revisions RENAME TO credential_revisions;

DROP TRIGGER credentials_revise_summary_on_insert ON credentials;
DROP TRIGGER credentials_revise_summary_on_update ON credentials;
DROP TRIGGER credentials_revise_summary_on_delete ON credentials;
DROP TRIGGER credential_types_revise_summary_on_insert ON credential_types;
DROP TRIGGER credential_types_revise_summary_on_update ON credential_types;
DROP TRIGGER credential_types_revise_summary_on_delete ON credential_types;
DROP FUNCTION revise_credential_summary();

-- Every trigger names its transition tables changed_rows (the new rows of an INSERT or UPDATE,
-- the old rows of a DELETE) and, for an UPDATE, previous_rows. PostgreSQL allows no column list
-- on a trigger with transition tables, so an UPDATE compares what the reads show itself.
CREATE FUNCTION revise_credential_reads() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Each statement names only the columns and transition tables its own table and operation
  -- have: PL/pgSQL plans a statement when it first runs, for the table the trigger is on.
  IF TG_TABLE_NAME = 'credentials' AND TG_OP = 'UPDATE' THEN
    INSERT INTO credential_revisions AS r (org_id, revision)
      SELECT DISTINCT org_id, 1 FROM (
        SELECT org_id FROM changed_rows UNION ALL SELECT org_id FROM previous_rows
      ) AS c
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSIF TG_TABLE_NAME = 'version_media' THEN
    -- Rows without an org_id: their credential's. A credential deleted with them has counted.
    INSERT INTO credential_revisions AS r (org_id, revision)
      SELECT DISTINCT c.org_id, 1 FROM credentials c
      WHERE c.id IN (SELECT credential_id FROM changed_rows)
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSIF TG_TABLE_NAME = 'credential_versions' THEN
    INSERT INTO credential_revisions AS r (org_id, revision)
      SELECT DISTINCT c.org_id, 1 FROM credentials c
      WHERE c.id IN (
        SELECT n.credential_id
        FROM changed_rows n
        JOIN previous_rows o ON o.credential_id = n.credential_id AND o.version = n.version
        WHERE o.rejection_reason IS DISTINCT FROM n.rejection_reason)
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSIF TG_OP <> 'UPDATE' THEN  -- credentials, credential_types and users
    INSERT INTO credential_revisions AS r (org_id, revision)
      SELECT DISTINCT org_id, 1 FROM changed_rows ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSIF TG_TABLE_NAME = 'credential_types' THEN
    INSERT INTO credential_revisions AS r (org_id, revision)
      SELECT DISTINCT v.org_id, 1 FROM (
        SELECT n.org_id AS org_id, o.org_id AS old_org_id
        FROM changed_rows n JOIN previous_rows o ON o.id = n.id
        WHERE (n.org_id, n.name, n.name_key) IS DISTINCT FROM (o.org_id, o.name, o.name_key)
      ) AS c, LATERAL (VALUES (c.org_id), (c.old_org_id)) AS v(org_id)
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSIF TG_TABLE_NAME = 'users' THEN  -- a new password does not count
    INSERT INTO credential_revisions AS r (org_id, revision)
      SELECT DISTINCT v.org_id, 1 FROM (
        SELECT n.org_id AS org_id, o.org_id AS old_org_id
        FROM changed_rows n JOIN previous_rows o ON o.id = n.id
        WHERE (n.org_id, n.name, n.name_key, n.email, n.email_key)
              IS DISTINCT FROM (o.org_id, o.name, o.name_key, o.email, o.email_key)
      ) AS c, LATERAL (VALUES (c.org_id), (c.old_org_id)) AS v(org_id)
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSE  -- media: the name, type and size of attached files
    INSERT INTO credential_revisions AS r (org_id, revision)
      SELECT DISTINCT o.org_id, 1
      FROM changed_rows n JOIN previous_rows o ON o.id = n.id
      WHERE o.credential_id IS NOT NULL
        AND (n.filename, n.content_type, n.size) IS DISTINCT FROM (o.filename, o.content_type, o.size)
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER credentials_revise_reads_on_insert AFTER INSERT ON credentials
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
CREATE TRIGGER credentials_revise_reads_on_update AFTER UPDATE ON credentials
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
CREATE TRIGGER credentials_revise_reads_on_delete AFTER DELETE ON credentials
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();

CREATE TRIGGER credential_types_revise_reads_on_insert AFTER INSERT ON credential_types
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
CREATE TRIGGER credential_types_revise_reads_on_update AFTER UPDATE ON credential_types
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
CREATE TRIGGER credential_types_revise_reads_on_delete AFTER DELETE ON credential_types
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();

CREATE TRIGGER users_revise_reads_on_update AFTER UPDATE ON users
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
CREATE TRIGGER users_revise_reads_on_delete AFTER DELETE ON users
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();

CREATE TRIGGER version_media_revise_reads_on_insert AFTER INSERT ON version_media
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
CREATE TRIGGER version_media_revise_reads_on_delete AFTER DELETE ON version_media
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
CREATE TRIGGER media_revise_reads_on_update AFTER UPDATE ON media
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();

CREATE TRIGGER credential_versions_revise_reads_on_update AFTER UPDATE ON credential_versions
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_reads();
