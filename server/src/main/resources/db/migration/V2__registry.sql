-- The register: models, lineage, training runs, distributions, deployments,
-- the chip catalog and the versioned threshold policy.

-- Trigram indexes serve the registry's substring search on model and developer names.
create extension if not exists pg_trgm;

create table chip (
    id      text primary key,
    name    text not null,
    vendor  text not null,
    default_precision text not null
);

create table chip_peak (
    chip_id   text not null references chip(id),
    precision text not null,
    peak_flops double precision not null check (peak_flops > 0),
    primary key (chip_id, precision)
);

-- Names other catalogues (e.g. Epoch AI) use for a catalog chip.
create table chip_alias (
    alias   text primary key,
    chip_id text not null references chip(id)
);

create table model (
    id                 uuid primary key default gen_random_uuid(),
    organisation_id    uuid not null references organisation(id),
    name               text not null,
    version            text not null default '',
    modality           text not null,
    parameters_total   double precision,
    parameters_active  double precision,
    training_tokens    double precision,
    reported_compute   double precision,
    compute_method     text,
    hardware_chip      text references chip(id),
    hardware_quantity  double precision,
    training_hours     double precision,
    utilisation        double precision,
    precision          text,
    compute_used       double precision,
    compute_basis      text check (compute_basis in ('REPORTED','HARDWARE','PARAMETERS')),
    open_weights       boolean not null default false,
    status             text not null,
    publication_date   date,
    source             text not null default 'registration',
    source_ref         text,
    registered_by      uuid references account(id),
    reviewed_at        timestamptz,
    reviewed_by        uuid references account(id),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    row_version        int not null default 0
);
create unique index model_identity_key on model (organisation_id, lower(name), version);
create unique index model_source_ref_key on model (source, source_ref) where source_ref is not null;
create index model_status_idx on model (status);
create index model_compute_idx on model (compute_used);
create index model_organisation_idx on model (organisation_id);
create index model_name_trgm_idx on model using gin (lower(name) gin_trgm_ops);
create index model_listing_idx on model (publication_date desc nulls last, created_at desc, id);

create index organisation_name_trgm_idx on organisation using gin (lower(name) gin_trgm_ops);

create table model_parent (
    child_id  uuid not null references model(id),
    parent_id uuid not null references model(id),
    relation  text not null check (relation in ('FINETUNE','ADAPTER','QUANTIZED','MERGE','DISTILLED')),
    declared_at timestamptz not null default now(),
    primary key (child_id, parent_id),
    check (child_id <> parent_id)
);
create index model_parent_parent_idx on model_parent (parent_id);

create table training_run (
    id               uuid primary key default gen_random_uuid(),
    model_id         uuid not null references model(id),
    organisation_id  uuid not null references organisation(id),
    planned_compute  double precision not null,
    chip_id          text references chip(id),
    chip_count       int,
    precision        text,
    clusters         text[] not null default '{}',
    providers        text[] not null default '{}',
    planned_start    timestamptz not null,
    planned_end      timestamptz not null,
    registered_by    uuid references account(id),
    reviewed_at      timestamptz,
    reviewed_by      uuid references account(id),
    created_at       timestamptz not null default now(),
    check (planned_end > planned_start)
);
create index training_run_model_idx on training_run (model_id);

create table distribution (
    id               uuid primary key default gen_random_uuid(),
    organisation_id  uuid not null references organisation(id),
    model_id         uuid not null references model(id),
    channel          text not null check (channel in ('API','WEIGHTS_DOWNLOAD','LICENCE')),
    terms            text not null,
    jurisdictions    text[] not null,
    registered_by    uuid references account(id),
    reviewed_at      timestamptz,
    reviewed_by      uuid references account(id),
    created_at       timestamptz not null default now()
);
create index distribution_model_idx on distribution (model_id);

create table deployment (
    id               uuid primary key default gen_random_uuid(),
    organisation_id  uuid not null references organisation(id),
    model_id         uuid not null references model(id),
    location_kind    text not null check (location_kind in ('FACILITY','CLOUD_REGION')),
    location         text not null,
    endpoint         text not null,
    status           text not null check (status in ('PLANNED','ACTIVE','SUSPENDED','RETIRED')),
    registered_by    uuid references account(id),
    reviewed_at      timestamptz,
    reviewed_by      uuid references account(id),
    created_at       timestamptz not null default now()
);
create index deployment_model_idx on deployment (model_id);

create table threshold_policy (
    version         int primary key,
    title           text not null,
    effective_from  timestamptz not null default now(),
    published_by    uuid references account(id)
);

create table threshold_rule (
    policy_version       int not null references threshold_policy(version),
    key                  text not null,
    label                text not null,
    jurisdiction         text not null,
    metric               text not null check (metric in ('TRAINING_COMPUTE')),
    comparator           text not null check (comparator in ('GT','GE')),
    value                double precision not null,
    precision_convention text not null,
    primary key (policy_version, key)
);

create table registry_import (
    id           uuid primary key default gen_random_uuid(),
    format       text not null,
    file_sha256  text not null,
    imported_by  uuid references account(id),
    rows_read    int not null,
    created      int not null,
    updated      int not null,
    unchanged    int not null,
    skipped      int not null,
    report       jsonb not null,
    created_at   timestamptz not null default now()
);

insert into chip (id, name, vendor, default_precision) values
  ('A100', 'NVIDIA A100', 'NVIDIA', 'BF16'),
  ('H100-SXM', 'NVIDIA H100 SXM', 'NVIDIA', 'BF16'),
  ('H200-SXM', 'NVIDIA H200 SXM', 'NVIDIA', 'BF16'),
  ('B200', 'NVIDIA B200', 'NVIDIA', 'BF16');

insert into chip_peak (chip_id, precision, peak_flops) values
  ('A100', 'BF16', 312e12), ('A100', 'FP16', 312e12), ('A100', 'TF32', 156e12),
  ('H100-SXM', 'BF16', 989.4e12), ('H100-SXM', 'FP16', 989.4e12), ('H100-SXM', 'FP8', 1979e12),
  ('H200-SXM', 'BF16', 989.4e12), ('H200-SXM', 'FP16', 989.4e12), ('H200-SXM', 'FP8', 1979e12),
  ('B200', 'BF16', 2250e12), ('B200', 'FP16', 2250e12), ('B200', 'FP8', 4500e12);

insert into chip_alias (alias, chip_id) values
  ('NVIDIA A100', 'A100'), ('NVIDIA A100 SXM4 40 GB', 'A100'), ('NVIDIA A100 SXM4 80 GB', 'A100'),
  ('NVIDIA A100 PCIe', 'A100'),
  ('NVIDIA H100 SXM5 80GB', 'H100-SXM'), ('NVIDIA H100 SXM', 'H100-SXM'),
  ('NVIDIA H200 SXM', 'H200-SXM'), ('NVIDIA H200', 'H200-SXM'),
  ('NVIDIA B200', 'B200');

insert into threshold_policy (version, title) values (1, 'Initial policy');
insert into threshold_rule values
  (1, 'EU_AI_ACT_SYSTEMIC', 'EU AI Act: presumption of systemic risk (Art. 51(2))', 'EU',
      'TRAINING_COMPUTE', 'GT', 1e25, 'floating-point operations, any precision'),
  (1, 'US_CA_FRONTIER', 'US EO 14110 / California SB 53: frontier model', 'US-CA',
      'TRAINING_COMPUTE', 'GT', 1e26, 'integer or floating-point operations');
