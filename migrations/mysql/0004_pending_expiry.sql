-- Pending purchases by age, for the expiry sweep (rule 13): it reads only
-- the overdue ones, however many purchases there are.
CREATE INDEX ix_purchase_pending ON purchase (status, created_at);
