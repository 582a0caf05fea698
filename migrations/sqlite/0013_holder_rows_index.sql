-- A holder's list read from one index: 0011's credentials_by_holder widened to every column a
-- list row shows (ListCredentials, FillPageRowFromRow), so a page of a holder's credentials is
-- one range scan of adjacent index entries instead of a seek into the table for each row, its
-- pages scattered across the file. Still one holder index for a write to keep.
--
-- It leads with user_id, not org_id: an index that covers nearly every column is the one
-- SQLite's planner (which has no statistics here) prefers for any statement it covers, so one
-- led by org_id would walk the whole organisation for lists that name no index (an expiry range
-- of archived and unarchived credentials, a mix of approval statuses), where they searched
-- credentials_by_expiry or credentials_by_approval before. Led by user_id it serves only
-- statements that name a holder, and a holder (users.id) belongs to one organisation, so
-- (user_id, org_id) finds the same rows as (org_id, user_id). tests/store/sqlite_query_plans_test
-- checks both.
--
-- Measured on a million credentials (docs/performance.md, "Read path, session 12"): the index
-- grows from 142 MB to 300 MB (the table's own size), and builds in about 9 s while the
-- migration holds the write lock.
DROP INDEX credentials_by_holder;
CREATE INDEX credentials_by_holder ON credentials (
  user_id, org_id, archived, expiry_date, id,
  type_id, etag_counter, created_at, created_by, updated_at, updated_by, version,
  issue_date, credential_number, approval_status);
