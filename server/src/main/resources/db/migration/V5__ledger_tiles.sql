-- The ledger keeps its tree as c2sp.org/tlog-tiles hash tiles, one row per tile, rewritten only
-- to grow: tile/L/N.p/W is the first 32·W bytes of the row. Entries wait in ledger_queue, written
-- in the transaction of the change they record, until the sequencer gives them their indexes.
-- Existing trees are re-tiled from their entries when the sequencer first starts.

create table ledger_tile (
    level  smallint not null check (level between 0 and 7),
    idx    bigint not null check (idx >= 0),
    hashes bytea not null check (length(hashes) between 32 and 8192 and length(hashes) % 32 = 0),
    primary key (level, idx)
);

create table ledger_queue (
    seq       bigserial primary key,
    body      bytea not null,
    record    bytea not null,
    record_id uuid,
    queued_at timestamptz not null default now()
);

alter table ledger_state add column root bytea check (length(root) = 32);

drop table ledger_hash;
