-- The agent beside a deployment: the artifact it serves (whose manifest digest its operating
-- licenses name) and the note verifier key it signs its requests and halt receipts with.

alter table deployment add column artifact_id uuid references artifact(id);
alter table deployment add column agent_key text;
create unique index deployment_agent_key_idx on deployment (agent_key) where agent_key is not null;
create index deployment_artifact_idx on deployment (artifact_id);
