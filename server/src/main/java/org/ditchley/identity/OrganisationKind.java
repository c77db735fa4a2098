package org.ditchley.identity;

import java.util.EnumSet;
import java.util.Set;

/** What an organisation is, and so which roles its accounts may hold. */
public enum OrganisationKind {
    REGULATOR(EnumSet.of(Role.REGULATOR, Role.OFFICER)),
    /** Developers often also sell access to and serve their own models. */
    DEVELOPER(EnumSet.of(Role.DEVELOPER, Role.DISTRIBUTOR, Role.DEPLOYER)),
    DISTRIBUTOR(EnumSet.of(Role.DISTRIBUTOR, Role.DEPLOYER)),
    DEPLOYER(EnumSet.of(Role.DEPLOYER)),
    /** Clouds host and resell models as well as renting out compute. */
    COMPUTE_PROVIDER(EnumSet.of(Role.COMPUTE_PROVIDER, Role.DISTRIBUTOR, Role.DEPLOYER)),
    AUDITOR(EnumSet.of(Role.AUDITOR)),
    PEER(EnumSet.of(Role.PEER));

    private final Set<Role> allowedRoles;

    OrganisationKind(Set<Role> allowedRoles) {
        this.allowedRoles = allowedRoles;
    }

    public Set<Role> allowedRoles() {
        return allowedRoles;
    }
}
