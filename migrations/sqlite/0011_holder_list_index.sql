-- A holder's credentials in list order: (org_id, user_id, archived) and then expiry_date and id,
-- as ListCredentials sorts them by default. credentials_by_user (org_id, user_id, type_id,
-- number_key) finds the same rows but in another order, so each page of a user's list sorted
-- them in a temporary B-tree, twice (dated, then undated), and read every row to learn its
-- archived flag and expiry date; this index yields the page in order and covers the key query.
CREATE INDEX credentials_by_holder ON credentials (org_id, user_id, archived, expiry_date, id);
