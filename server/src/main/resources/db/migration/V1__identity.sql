-- Organisations, accounts, invitations, API tokens and the one-time set-up token.

create table organisation (
    id           uuid primary key default gen_random_uuid(),
    name         text not null,
    kind         text not null check (kind in ('REGULATOR','DEVELOPER','DISTRIBUTOR','DEPLOYER',
                                                'COMPUTE_PROVIDER','AUDITOR','PEER')),
    jurisdiction text not null,
    created_at   timestamptz not null default now()
);
create unique index organisation_name_key on organisation (lower(name));

create table account (
    id              uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisation(id),
    email           text not null,
    display_name    text not null,
    password_hash   text not null,
    roles           text[] not null,
    enabled         boolean not null default true,
    created_at      timestamptz not null default now()
);
create unique index account_email_key on account (lower(email));

create table invitation (
    id              uuid primary key default gen_random_uuid(),
    organisation_id uuid not null references organisation(id),
    email           text not null,
    roles           text[] not null,
    token_hash      bytea not null unique,
    invited_by      uuid not null references account(id),
    expires_at      timestamptz not null,
    accepted_at     timestamptz,
    created_at      timestamptz not null default now()
);

create table api_token (
    id              uuid primary key default gen_random_uuid(),
    account_id      uuid not null references account(id),
    organisation_id uuid not null references organisation(id),
    name            text not null,
    token_hash      bytea not null unique,
    created_at      timestamptz not null default now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz
);

create table setup_token (
    id          int primary key check (id = 1),
    token_hash  bytea not null,
    expires_at  timestamptz not null,
    used_at     timestamptz
);
