-- A copy row is inserted only with ids its own transaction has just read: the order's row, which
-- it holds locked, and the deployments it resolved the order's scope to; neither orders nor
-- deployments are ever deleted, so the two foreign keys guarded nothing. Checking them ran two
-- trigger queries for every copy and locked every covered deployment's row (FOR KEY SHARE), which
-- writes each of those rows again: for an order covering 10,000 copies that was 160-190 ms of the
-- transaction that puts it in effect, before it could be pushed to any agent.
alter table stop_order_copy drop constraint stop_order_copy_order_id_fkey;
alter table stop_order_copy drop constraint stop_order_copy_deployment_id_fkey;
-- Every reading of copies goes by order (the primary key's first column); agents' streams are
-- sent the orders whose signed text names them, without asking which orders list their copy.
drop index stop_order_copy_deployment_idx;
