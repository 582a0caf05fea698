-- The same step as migrations/sqlite/0013, which says why: 0011's credentials_by_holder widened
-- to every column a holder's list row shows, so that an index-only scan can yield the page, and
-- led by user_id as there. The added columns are INCLUDEd: they are read from the index, never
-- searched or sorted by.
--
-- A plain CREATE INDEX in the migration's transaction, as 0011: it blocks writes to credentials
-- while it builds.
DROP INDEX credentials_by_holder;
CREATE INDEX credentials_by_holder ON credentials (user_id, org_id, archived, expiry_date, id)
  INCLUDE (type_id, etag_counter, created_at, created_by, updated_at, updated_by, version,
           issue_date, credential_number, approval_status);
