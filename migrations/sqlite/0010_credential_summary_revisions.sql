-- A revision number per organisation that grows whenever its credential summary
-- (GET /api/v1/credentials/summary) could change: the counts of 0005 or its credential types.
-- A node keeps the summary it computed (service/summary_cache.h) and answers from it only while
-- the organisation's revision, read in the request's own transaction, and the day (today and
-- expiring_soon_days) are unchanged: the summary reads every type's counts (~3 million
-- instructions for 30 types) and most requests ask the same question again.
--
-- Triggers are the only writers, in the transaction of the change, on every path (one edit, bulk
-- actions, imports, deletes). On credentials they fire when what 0005 counts changes (a new
-- version or a review updates the credential's row); on credential types when a type comes,
-- goes or is renamed (the summary shows type names, ordered by name_key). A missing row reads as
-- revision 0; rows are never deleted, so a revision never comes back.

CREATE TABLE credential_summary_revisions (
  org_id   TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER credentials_revise_summary_on_insert AFTER INSERT ON credentials BEGIN
  INSERT INTO credential_summary_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credentials_revise_summary_on_delete AFTER DELETE ON credentials BEGIN
  INSERT INTO credential_summary_revisions VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
-- The WHEN of 0005's credentials_recounted_on_update.
CREATE TRIGGER credentials_revise_summary_on_update AFTER UPDATE ON credentials
WHEN OLD.archived IS NOT NEW.archived OR OLD.org_id IS NOT NEW.org_id
  OR OLD.type_id IS NOT NEW.type_id OR OLD.expiry_date IS NOT NEW.expiry_date
  OR OLD.approval_status IS NOT NEW.approval_status
BEGIN
  INSERT INTO credential_summary_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
  INSERT INTO credential_summary_revisions SELECT OLD.org_id, 1 WHERE OLD.org_id IS NOT NEW.org_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER credential_types_revise_summary_on_insert AFTER INSERT ON credential_types BEGIN
  INSERT INTO credential_summary_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credential_types_revise_summary_on_delete AFTER DELETE ON credential_types BEGIN
  INSERT INTO credential_summary_revisions VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
-- The type's statement sets every column, so the WHEN compares.
CREATE TRIGGER credential_types_revise_summary_on_update AFTER UPDATE ON credential_types
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.name IS NOT NEW.name OR OLD.name_key IS NOT NEW.name_key
BEGIN
  INSERT INTO credential_summary_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
  INSERT INTO credential_summary_revisions SELECT OLD.org_id, 1 WHERE OLD.org_id IS NOT NEW.org_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
