-- A revision number per organisation that grows whenever anything compliance is computed from
-- changes: credentials, memberships, requirements and their types, exemptions, and the users'
-- names and status. Compliance is still computed on read (0006); a node may keep what it
-- computed for a group (service/compliance_cache.h) and use it again only while the
-- organisation's revision, read in the same transaction, and the compliance day are unchanged,
-- so that a 5,000-member matrix or the summary of every group is not recomputed on each request
-- and is never stale, whichever node wrote last.
--
-- Triggers are the only writers, in the transaction of the change, on every path (one edit, bulk
-- actions, imports, deletes). Not watched: credential_versions (a new or reviewed version always
-- updates its credential's row too), the organisation's time zone and expiring_soon_days (the
-- cache is keyed by the compliance day, which holds both), group names (read fresh each time).
-- A missing row reads as revision 0.

CREATE TABLE compliance_revisions (
  org_id   TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER credentials_revise_compliance_on_insert AFTER INSERT ON credentials BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credentials_revise_compliance_on_update AFTER UPDATE ON credentials BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credentials_revise_compliance_on_delete AFTER DELETE ON credentials BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER memberships_revise_compliance_on_insert AFTER INSERT ON memberships BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER memberships_revise_compliance_on_update AFTER UPDATE ON memberships BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER memberships_revise_compliance_on_delete AFTER DELETE ON memberships BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER requirements_revise_compliance_on_insert AFTER INSERT ON requirements BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER requirements_revise_compliance_on_update AFTER UPDATE ON requirements BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER requirements_revise_compliance_on_delete AFTER DELETE ON requirements BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER requirement_types_revise_compliance_on_insert AFTER INSERT ON requirement_types
BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER requirement_types_revise_compliance_on_delete AFTER DELETE ON requirement_types
BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER exemptions_revise_compliance_on_insert AFTER INSERT ON exemptions BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER exemptions_revise_compliance_on_update AFTER UPDATE ON exemptions BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER exemptions_revise_compliance_on_delete AFTER DELETE ON exemptions BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

-- Sign-ins and password changes update users too; only what a matrix shows or a decision
-- reads counts.
CREATE TRIGGER users_revise_compliance_on_update AFTER UPDATE OF name, name_key, email, status
ON users BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER users_revise_compliance_on_delete AFTER DELETE ON users BEGIN
  INSERT INTO compliance_revisions (org_id, revision) VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
