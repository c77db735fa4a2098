-- The ledger: an append-only RFC 6962 tree of canonical JSON entries, stored as its entries and
-- the hashes of its complete subtrees (c2sp.org/tlog-tiles are read from these), with the
-- signed checkpoints published so far.

create table ledger_state (
    id   int primary key check (id = 1),
    size bigint not null check (size >= 0)
);
insert into ledger_state values (1, 0);

create table ledger_entry (
    idx        bigint primary key check (idx >= 0),
    body       bytea not null,
    record     bytea not null,
    record_id  uuid,
    created_at timestamptz not null default now()
);
create index ledger_entry_record_idx on ledger_entry (record_id) where record_id is not null;

create table ledger_hash (
    idx  bigint primary key check (idx >= 0),
    hash bytea not null check (length(hash) = 32)
);

create table ledger_checkpoint (
    size       bigint primary key check (size >= 0),
    note       bytea not null,
    created_at timestamptz not null default now()
);
