-- Confidential records go on the ledger as a salted commitment. The salt and the committed
-- canonical entry stay here, opened only to the record's organisation, its actor and regulators.

alter table ledger_queue add column salt bytea check (length(salt) = 32);
alter table ledger_queue add column committed bytea;
alter table ledger_entry add column salt bytea check (length(salt) = 32);
alter table ledger_entry add column committed bytea;
alter table ledger_entry add constraint ledger_entry_opening check ((salt is null) = (committed is null));
