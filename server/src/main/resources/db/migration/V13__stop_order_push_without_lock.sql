-- A push row names a copy that the same statement read from stop_order_copy, and copies are never
-- deleted, so the foreign key guarded nothing. Checking it locked each copy's row (FOR KEY SHARE)
-- while the order's halt receipts were updating those rows, and PostgreSQL then records the
-- locker and the updater of each together in a multixact.
alter table stop_order_push drop constraint stop_order_push_order_id_deployment_id_fkey;
