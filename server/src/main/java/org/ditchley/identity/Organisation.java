package org.ditchley.identity;

import java.util.Objects;
import java.util.UUID;

/** A registered organisation: a regulator, developer, distributor, deployer, provider, auditor or peer. */
public record Organisation(UUID id, String name, OrganisationKind kind, String jurisdiction) {

    public Organisation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jurisdiction, "jurisdiction");
    }
}
