-- A revision number per organisation that grows whenever anything compliance is computed from
-- changes. The same step as migrations/sqlite/0009, which says why and what is watched.
--
-- Statement triggers, as the counts of 0008: one upsert of each organisation's row a statement,
-- whether it writes one row or a million. The row stays locked until the transaction ends, so
-- one organisation's writers of these tables take turns at their commits; other organisations'
-- never meet (the counts rows of 0008 already behave so, per type).

CREATE TABLE compliance_revisions (
  org_id   text PRIMARY KEY,
  revision bigint NOT NULL
);

-- Every trigger names its transition table changed_rows (the new rows of an INSERT or UPDATE,
-- the old rows of a DELETE). For users only an update of what a matrix shows or a decision
-- reads counts (sign-ins and password changes update users too); PostgreSQL allows no column
-- list on a trigger with transition tables, so that trigger compares old and new itself.
CREATE FUNCTION revise_compliance() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO compliance_revisions AS r (org_id, revision)
    SELECT DISTINCT org_id, 1 FROM changed_rows ORDER BY org_id
    ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
  RETURN NULL;
END;
$$;

CREATE FUNCTION revise_compliance_for_users() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO compliance_revisions AS r (org_id, revision)
    SELECT DISTINCT n.org_id, 1 FROM changed_rows n JOIN previous_rows o ON o.id = n.id
    WHERE (n.name, n.name_key, n.email, n.status) IS DISTINCT FROM
          (o.name, o.name_key, o.email, o.status)
    ORDER BY n.org_id
    ON CONFLICT (org_id) DO UPDATE SET revision = r.revision + 1;
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

CREATE TRIGGER requirement_types_revise_compliance_on_insert AFTER INSERT ON requirement_types
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
CREATE TRIGGER requirement_types_revise_compliance_on_delete AFTER DELETE ON requirement_types
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
CREATE TRIGGER users_revise_compliance_on_delete AFTER DELETE ON users
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION revise_compliance();
