-- Peer logs this node witnesses (c2sp.org/tlog-witness), with the latest checkpoint it cosigned.

create table witness_log (
    origin       text primary key,
    vkey         text not null,
    latest_size  bigint not null default 0 check (latest_size >= 0),
    latest_note  bytea,          -- the text of the latest cosigned checkpoint
    added_by     uuid references account(id),
    created_at   timestamptz not null default now()
);
