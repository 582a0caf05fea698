-- A revision number per organisation that grows whenever its credential summary could change:
-- the counts of 0005/0008 or its credential types. The same step as
-- migrations/sqlite/0010, which says why and what is watched.
--
-- Statement triggers, as 0008 and 0009: one upsert of each affected organisation's row a
-- statement, whether it writes one credential or a million. The row stays locked until the
-- transaction ends, so writers that change an organisation's counts commit in turn; they
-- already do, since they upsert the same count rows of 0008. Edits that change nothing counted
-- (a number, a file, a reminder) do not touch it.

CREATE TABLE credential_summary_revisions (
  org_id text PRIMARY KEY,
  revision bigint NOT NULL
);

-- Every trigger names its transition tables changed_rows (the new rows of an INSERT or UPDATE,
-- the old rows of a DELETE) and, for an UPDATE, previous_rows. PostgreSQL allows no column list
-- on a trigger with transition tables, so an UPDATE compares what the summary reads itself.
CREATE FUNCTION revise_credential_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    INSERT INTO credential_summary_revisions AS r (org_id, revision)
      SELECT DISTINCT org_id, 1 FROM changed_rows ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSIF TG_TABLE_NAME = 'credentials' THEN
    INSERT INTO credential_summary_revisions AS r (org_id, revision)
      SELECT DISTINCT v.org_id, 1 FROM (
        SELECT n.org_id AS org_id, o.org_id AS old_org_id
        FROM changed_rows n JOIN previous_rows o ON o.id = n.id
        WHERE (n.archived, n.org_id, n.type_id, n.expiry_date, n.approval_status)
              IS DISTINCT FROM (o.archived, o.org_id, o.type_id, o.expiry_date, o.approval_status)
      ) AS c, LATERAL (VALUES (c.org_id), (c.old_org_id)) AS v(org_id)
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  ELSE  -- credential_types
    INSERT INTO credential_summary_revisions AS r (org_id, revision)
      SELECT DISTINCT v.org_id, 1 FROM (
        SELECT n.org_id AS org_id, o.org_id AS old_org_id
        FROM changed_rows n JOIN previous_rows o ON o.id = n.id
        WHERE (n.org_id, n.name, n.name_key) IS DISTINCT FROM (o.org_id, o.name, o.name_key)
      ) AS c, LATERAL (VALUES (c.org_id), (c.old_org_id)) AS v(org_id)
      ORDER BY 1
      ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER credentials_revise_summary_on_insert AFTER INSERT ON credentials
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_summary();
CREATE TRIGGER credentials_revise_summary_on_update AFTER UPDATE ON credentials
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_summary();
CREATE TRIGGER credentials_revise_summary_on_delete AFTER DELETE ON credentials
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_summary();

CREATE TRIGGER credential_types_revise_summary_on_insert AFTER INSERT ON credential_types
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_summary();
CREATE TRIGGER credential_types_revise_summary_on_update AFTER UPDATE ON credential_types
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_summary();
CREATE TRIGGER credential_types_revise_summary_on_delete AFTER DELETE ON credential_types
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_credential_summary();
