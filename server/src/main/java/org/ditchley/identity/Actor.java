package org.ditchley.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** The signed-in account (person or API token) on whose behalf a request acts. */
public record Actor(UUID accountId, UUID organisationId, OrganisationKind organisationKind,
                    Set<Role> roles, String displayName) {

    public Actor {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(organisationId, "organisationId");
        Objects.requireNonNull(organisationKind, "organisationKind");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(displayName, "displayName");
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    @JsonIgnore
    public boolean isRegulator() {
        return has(Role.REGULATOR);
    }

    /** Whether this actor belongs to {@code organisationId}. */
    public boolean memberOf(UUID organisationId) {
        return this.organisationId.equals(organisationId);
    }
}
