-- The queue sequence number an entry had before it was sequenced, so that any node can tell a
-- filer which index its queued entry received, whichever node's sequencer took it.

alter table ledger_entry add column queue_seq bigint;
create unique index ledger_entry_queue_seq on ledger_entry (queue_seq) where queue_seq is not null;
