-- Termination: stop orders and their approvals, the copies each covers with their halt receipts,
-- and the operating licenses issued to deployments' agents.

create table termination_state (
    id           int primary key check (id = 1),
    stop_version bigint not null
);
insert into termination_state values (1, 0);

create table stop_order (
    id               uuid primary key default gen_random_uuid(),
    scope            text not null check (scope in ('MODEL','ARTIFACTS','DEPLOYMENTS')),
    model_id         uuid references model(id),
    with_derivatives boolean not null,
    reason_kind      text not null check (reason_kind in ('RED_LINE','INCIDENT','OTHER')),
    reason           text not null,
    grace_seconds    int not null check (grace_seconds between 0 and 86400),
    quorum           int not null,
    lift_quorum      int not null,
    status           text not null check (status in ('DRAFT','IN_EFFECT','LIFTED')),
    drafted_by       uuid not null references account(id),
    drafted_at       timestamptz not null default now(),
    effective_at     timestamptz,
    stop_version     bigint,
    note             bytea,
    lifted_at        timestamptz,
    lift_note        bytea,
    changed_version  bigint,
    check ((scope = 'MODEL') = (model_id is not null))
);
create index stop_order_status_idx on stop_order (status);

create table stop_order_target (
    order_id  uuid not null references stop_order(id),
    target_id uuid not null,
    primary key (order_id, target_id)
);

create table stop_order_approval (
    order_id    uuid not null references stop_order(id),
    account_id  uuid not null references account(id),
    action      text not null check (action in ('EFFECT','LIFT')),
    reason      text,
    approved_at timestamptz not null default now(),
    primary key (order_id, account_id, action)
);

create table stop_order_copy (
    order_id      uuid not null references stop_order(id),
    deployment_id uuid not null references deployment(id),
    added_at      timestamptz not null default now(),
    pushed_at     timestamptz,
    halted_at     timestamptz,
    how           text,
    receipt       bytea,
    received_at   timestamptz,
    primary key (order_id, deployment_id)
);
create index stop_order_copy_deployment_idx on stop_order_copy (deployment_id);

create table agent_license (
    deployment_id uuid primary key references deployment(id),
    sequence      bigint not null,
    nonce         text not null,
    issued_at     timestamptz not null,
    not_after     timestamptz not null,
    stop_version  bigint not null
);

create table agent_nonce (
    deployment_id uuid not null,
    nonce         text not null,
    seen_at       timestamptz not null default now(),
    primary key (deployment_id, nonce)
);
