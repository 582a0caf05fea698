-- 0010's summary revision, widened to everything a credential read shows: it now grows whenever
-- the summary or any page of GET /api/v1/credentials could change. A node keeps the summary and
-- the list pages it rendered (service/kept_reads.h) and answers from them only while the
-- organisation's revision, read in the request's own transaction, and the day (today and
-- expiring_soon_days) are unchanged; a dashboard asks the same pages again and again.
--
-- Triggers are the only writers, in the transaction of the change, on every path (one edit, bulk
-- actions, imports, deletes). Watched: every change of a credential's row (it holds its latest
-- version's fields: a new version, an edit, a review, archiving all update it); a type's name;
-- a person's name and email address (a list shows its holder's and, as created_by and
-- updated_by, its writers'); the files a version shows and their names; a version's rejection
-- reason (a review also updates the credential's row; watched so that no path is missed).
-- Not watched: the rest of credential_versions (a list shows only the latest version, whose
-- fields are the credential's row). The table keeps its rows, so a revision never comes back.

ALTER TABLE credential_summary_revisions RENAME TO credential_revisions;

DROP TRIGGER credentials_revise_summary_on_insert;
DROP TRIGGER credentials_revise_summary_on_delete;
DROP TRIGGER credentials_revise_summary_on_update;
DROP TRIGGER credential_types_revise_summary_on_insert;
DROP TRIGGER credential_types_revise_summary_on_delete;
DROP TRIGGER credential_types_revise_summary_on_update;

CREATE TRIGGER credentials_revise_reads_on_insert AFTER INSERT ON credentials BEGIN
  INSERT INTO credential_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credentials_revise_reads_on_delete AFTER DELETE ON credentials BEGIN
  INSERT INTO credential_revisions VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credentials_revise_reads_on_update AFTER UPDATE ON credentials BEGIN
  INSERT INTO credential_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
  INSERT INTO credential_revisions SELECT OLD.org_id, 1 WHERE OLD.org_id IS NOT NEW.org_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER credential_types_revise_reads_on_insert AFTER INSERT ON credential_types BEGIN
  INSERT INTO credential_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER credential_types_revise_reads_on_delete AFTER DELETE ON credential_types BEGIN
  INSERT INTO credential_revisions VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
-- The type's statement sets every column, so the WHEN compares.
CREATE TRIGGER credential_types_revise_reads_on_update AFTER UPDATE ON credential_types
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.name IS NOT NEW.name OR OLD.name_key IS NOT NEW.name_key
BEGIN
  INSERT INTO credential_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
  INSERT INTO credential_revisions SELECT OLD.org_id, 1 WHERE OLD.org_id IS NOT NEW.org_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

-- A user's statement sets every column too, so the WHEN compares (a new password does not count).
CREATE TRIGGER users_revise_reads_on_update AFTER UPDATE ON users
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.name IS NOT NEW.name OR OLD.name_key IS NOT NEW.name_key
  OR OLD.email IS NOT NEW.email OR OLD.email_key IS NOT NEW.email_key
BEGIN
  INSERT INTO credential_revisions VALUES (NEW.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
  INSERT INTO credential_revisions SELECT OLD.org_id, 1 WHERE OLD.org_id IS NOT NEW.org_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER users_revise_reads_on_delete AFTER DELETE ON users BEGIN
  INSERT INTO credential_revisions VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

-- A credential deleted takes its version_media rows with it; its own delete has counted.
CREATE TRIGGER version_media_revise_reads_on_insert AFTER INSERT ON version_media BEGIN
  INSERT INTO credential_revisions SELECT org_id, 1 FROM credentials WHERE id = NEW.credential_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER version_media_revise_reads_on_delete AFTER DELETE ON version_media BEGIN
  INSERT INTO credential_revisions SELECT org_id, 1 FROM credentials WHERE id = OLD.credential_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
CREATE TRIGGER media_revise_reads_on_update AFTER UPDATE ON media
WHEN OLD.credential_id IS NOT NULL AND (OLD.filename IS NOT NEW.filename
  OR OLD.content_type IS NOT NEW.content_type OR OLD.size IS NOT NEW.size)
BEGIN
  INSERT INTO credential_revisions VALUES (OLD.org_id, 1)
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;

CREATE TRIGGER credential_versions_revise_reads_on_update AFTER UPDATE ON credential_versions
WHEN OLD.rejection_reason IS NOT NEW.rejection_reason
BEGIN
  INSERT INTO credential_revisions SELECT org_id, 1 FROM credentials WHERE id = NEW.credential_id
    ON CONFLICT (org_id) DO UPDATE SET revision = revision + 1;
END;
