-- Artifacts: released sets of weights of a registered model, identified by their model-signing
-- manifest digest, their per-tensor digests and a similarity sketch. The weights never leave
-- their owner; only these do. Indexes find exact copies, shared tensors and same-shaped models.

create table artifact (
    id              uuid primary key default gen_random_uuid(),
    model_id        uuid not null references model(id),
    organisation_id uuid not null references organisation(id),
    name            text not null,
    manifest_digest text check (manifest_digest ~ '^[0-9a-f]{64}$'),
    statement       jsonb,
    fingerprint     jsonb not null,
    registered_by   uuid not null,
    registered_at   timestamptz not null default now()
);
create index artifact_model_idx on artifact (model_id);
create index artifact_manifest_idx on artifact (manifest_digest);

create table artifact_tensor (
    artifact_id uuid not null references artifact(id),
    name        text not null,
    digest      bytea not null check (length(digest) = 32),
    primary key (artifact_id, name)
);
create index artifact_tensor_digest_idx on artifact_tensor (digest);

create table artifact_shape (
    artifact_id uuid not null references artifact(id),
    shape       text not null,
    primary key (artifact_id, shape)
);
create index artifact_shape_idx on artifact_shape (shape);

-- Lineage found in the weights: a registered artifact that is a derivative of another model's.
-- An edge its model does not declare waits in the regulators' review queue.
create table detected_lineage (
    id                 uuid primary key default gen_random_uuid(),
    child_model_id     uuid not null references model(id),
    parent_model_id    uuid not null references model(id),
    artifact_id        uuid not null references artifact(id),
    parent_artifact_id uuid not null references artifact(id),
    verdict            text not null,
    confidence         double precision not null,
    evidence           jsonb not null,
    declared           boolean not null,
    detected_at        timestamptz not null default now(),
    reviewed_at        timestamptz,
    reviewed_by        uuid,
    unique (artifact_id, parent_artifact_id)
);
create index detected_lineage_child_idx on detected_lineage (child_model_id);
create index detected_lineage_pending_idx on detected_lineage (detected_at) where reviewed_at is null and not declared;
