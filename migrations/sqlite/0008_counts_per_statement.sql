-- The same step as migrations/postgres/0008, which keeps the counts of 0005 once a statement
-- instead of once a row: on PostgreSQL the row triggers' repeated upserts of the same count
-- rows inside one transaction piled up row versions (a bulk upload was O(n²)). SQLite updates
-- a row in place, has no statement triggers, and its row triggers of 0005 stay: nothing to do.
SELECT 1;
