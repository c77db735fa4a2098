-- A copy's row is written twice: at effect, about 70 bytes, and once by its halt receipt, which
-- adds about 300. None of the columns the receipt sets is indexed, so PostgreSQL can write the
-- receipt's version of the row into the same page without touching either index (a HOT update)
-- if the page has room for it. Pages filled to 15% at effect leave that room for every row.
alter table stop_order_copy set (fillfactor = 15);
