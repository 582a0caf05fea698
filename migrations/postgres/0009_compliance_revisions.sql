-- A revision number per group that grows whenever anything its compliance is computed from
-- changes. The same step as migrations/sqlite/0009, which says why and what is watched.
--
-- Statement triggers, as the counts of 0008: one upsert of each affected group's row a
-- statement, whether it writes one row or a million. A group's row stays locked until the
-- transaction ends, so writers touching the same group commit in turn; other groups and other
-- organisations never meet. Rows are locked in group id order.

CREATE TABLE compliance_revisions (
  group_id text PRIMARY KEY,
  revision bigint NOT NULL
);

-- Every trigger names its transition table changed_rows (the new rows of an INSERT or UPDATE,
-- the old rows of a DELETE); the function picks the groups by the table it follows.
CREATE FUNCTION revise_compliance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'credentials' THEN
    INSERT INTO compliance_revisions AS r (group_id, revision)
      SELECT DISTINCT m.group_id, 1 FROM changed_rows c
      JOIN memberships m ON m.org_id = c.org_id AND m.user_id = c.user_id
      ORDER BY 1
      ON CONFLICT (group_id) DO UPDATE SET revision = r.revision + 1;
  ELSIF TG_TABLE_NAME = 'exemptions' THEN
    INSERT INTO compliance_revisions AS r (group_id, revision)
      SELECT DISTINCT q.group_id, 1 FROM changed_rows e JOIN requirements q ON q.id = e.requirement_id
      ORDER BY 1
      ON CONFLICT (group_id) DO UPDATE SET revision = r.revision + 1;
  ELSE  -- memberships, requirements: the row names its group
    INSERT INTO compliance_revisions AS r (group_id, revision)
      SELECT DISTINCT group_id, 1 FROM changed_rows ORDER BY 1
      ON CONFLICT (group_id) DO UPDATE SET revision = r.revision + 1;
  END IF;
  RETURN NULL;
END;
$$;

-- For users only an update of what a matrix shows or a decision reads counts (sign-ins and
-- password changes update users too); PostgreSQL allows no column list on a trigger with
-- transition tables, so the function compares old and new itself.
CREATE FUNCTION revise_compliance_for_users() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO compliance_revisions AS r (group_id, revision)
    SELECT DISTINCT m.group_id, 1 FROM changed_rows n JOIN previous_rows o ON o.id = n.id
    JOIN memberships m ON m.org_id = n.org_id AND m.user_id = n.id
    WHERE (n.name, n.name_key, n.email, n.status) IS DISTINCT FROM
          (o.name, o.name_key, o.email, o.status)
    ORDER BY 1
    ON CONFLICT (group_id) DO UPDATE SET revision = r.revision + 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER credentials_revise_compliance_on_insert AFTER INSERT ON credentials
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER credentials_revise_compliance_on_update AFTER UPDATE ON credentials
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER credentials_revise_compliance_on_delete AFTER DELETE ON credentials
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();

CREATE TRIGGER memberships_revise_compliance_on_insert AFTER INSERT ON memberships
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER memberships_revise_compliance_on_update AFTER UPDATE ON memberships
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER memberships_revise_compliance_on_delete AFTER DELETE ON memberships
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();

CREATE TRIGGER requirements_revise_compliance_on_insert AFTER INSERT ON requirements
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER requirements_revise_compliance_on_update AFTER UPDATE ON requirements
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER requirements_revise_compliance_on_delete AFTER DELETE ON requirements
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();

CREATE TRIGGER exemptions_revise_compliance_on_insert AFTER INSERT ON exemptions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER exemptions_revise_compliance_on_update AFTER UPDATE ON exemptions
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER exemptions_revise_compliance_on_delete AFTER DELETE ON exemptions
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();

CREATE TRIGGER users_revise_compliance_on_update AFTER UPDATE ON users
  REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance_for_users();
