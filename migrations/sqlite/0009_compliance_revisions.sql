-- A revision number per group that grows whenever anything its compliance is computed from
-- changes: its memberships and requirements, its requirements' exemptions, and its members'
-- credentials, names, email addresses and status. Compliance is still computed on read (0006);
-- a node may keep the decisions it computed for a group (service/compliance_cache.h) and use
-- them again only while the group's revision, read in the same transaction, and the compliance
-- day are unchanged: a 5,000-member matrix or the summary of every group is not recomputed on
-- each request, is never stale whichever node wrote last, and a change to one person's
-- credentials makes only their own groups be computed again.
--
-- Triggers are the only writers, in the transaction of the change, on every path (one edit, bulk
-- actions, imports, deletes). Not watched, because a watched row always changes with them:
-- credential_versions (a new or reviewed version updates its credential's row), a requirement's
-- types (rewriting them updates the requirement's row: types_revision), rows that go with a
-- deleted group or requirement (the group is gone; the requirement's own delete counts).
-- Not needed: the organisation's time zone and expiring_soon_days (the cache is keyed by the
-- compliance day, which holds both) and group names (read fresh each time). A missing row reads
-- as revision 0.

CREATE TABLE compliance_revisions (
  group_id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER credentials_revise_compliance_on_insert AFTER INSERT ON credentials BEGIN
  INSERT INTO compliance_revisions (group_id, revision)
    SELECT group_id, 1 FROM memberships WHERE org_id = NEW.org_id AND user_id = NEW.user_id
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credentials_revise_compliance_on_update AFTER UPDATE ON credentials BEGIN
  INSERT INTO compliance_revisions (group_id, revision)
    SELECT group_id, 1 FROM memberships WHERE org_id = NEW.org_id AND user_id = NEW.user_id
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credentials_revise_compliance_on_delete AFTER DELETE ON credentials BEGIN
  INSERT INTO compliance_revisions (group_id, revision)
    SELECT group_id, 1 FROM memberships WHERE org_id = OLD.org_id AND user_id = OLD.user_id
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER memberships_revise_compliance_on_insert AFTER INSERT ON memberships BEGIN
  INSERT INTO compliance_revisions (group_id, revision) VALUES (NEW.group_id, 1)
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER memberships_revise_compliance_on_update AFTER UPDATE ON memberships BEGIN
  INSERT INTO compliance_revisions (group_id, revision) VALUES (NEW.group_id, 1)
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER memberships_revise_compliance_on_delete AFTER DELETE ON memberships BEGIN
  INSERT INTO compliance_revisions (group_id, revision) VALUES (OLD.group_id, 1)
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER requirements_revise_compliance_on_insert AFTER INSERT ON requirements BEGIN
  INSERT INTO compliance_revisions (group_id, revision) VALUES (NEW.group_id, 1)
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER requirements_revise_compliance_on_update AFTER UPDATE ON requirements BEGIN
  INSERT INTO compliance_revisions (group_id, revision) VALUES (NEW.group_id, 1)
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER requirements_revise_compliance_on_delete AFTER DELETE ON requirements BEGIN
  INSERT INTO compliance_revisions (group_id, revision) VALUES (OLD.group_id, 1)
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER exemptions_revise_compliance_on_insert AFTER INSERT ON exemptions BEGIN
  INSERT INTO compliance_revisions (group_id, revision)
    SELECT group_id, 1 FROM requirements WHERE id = NEW.requirement_id
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER exemptions_revise_compliance_on_update AFTER UPDATE ON exemptions BEGIN
  INSERT INTO compliance_revisions (group_id, revision)
    SELECT group_id, 1 FROM requirements WHERE id = NEW.requirement_id
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER exemptions_revise_compliance_on_delete AFTER DELETE ON exemptions BEGIN
  INSERT INTO compliance_revisions (group_id, revision)
    SELECT group_id, 1 FROM requirements WHERE id = OLD.requirement_id
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;

-- Sign-ins and password changes update users too; only what a matrix shows or a decision
-- reads counts.
CREATE TRIGGER users_revise_compliance_on_update AFTER UPDATE OF name, name_key, email, status ON users BEGIN
  INSERT INTO compliance_revisions (group_id, revision)
    SELECT group_id, 1 FROM memberships WHERE org_id = NEW.org_id AND user_id = NEW.id
    ON CONFLICT (group_id) DO UPDATE SET revision = revision + 1;
END;
