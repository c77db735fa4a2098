-- When the node wrote an order to a covered copy's stream, kept apart from the copy's row:
-- halt receipts update stop_order_copy and the push only inserts here, so the two never wait
-- on each other's row locks.
create table stop_order_push (
    order_id      uuid not null,
    deployment_id uuid not null,
    pushed_at     timestamptz not null default now(),
    primary key (order_id, deployment_id),
    foreign key (order_id, deployment_id) references stop_order_copy (order_id, deployment_id)
);

insert into stop_order_push (order_id, deployment_id, pushed_at)
select order_id, deployment_id, pushed_at from stop_order_copy where pushed_at is not null;

alter table stop_order_copy drop column pushed_at;
