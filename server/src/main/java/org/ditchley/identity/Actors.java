package org.ditchley.identity;

import java.util.Optional;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The actor of the current request, from Spring Security's context. */
public final class Actors {

    private Actors() {
    }

    public static Optional<Actor> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ActorPrincipal principal) {
            return Optional.of(principal.actor());
        }
        return Optional.empty();
    }

    /** The current actor; refuses the request when nobody is signed in. */
    public static Actor require() {
        return current().orElseThrow(() -> new AccessDeniedException("sign in first"));
    }

    /**
     * Refuses unless the current actor belongs to {@code organisationId} or is a regulator.
     * Regulators may act on any organisation's registrations.
     */
    public static Actor requireMemberOrRegulator(java.util.UUID organisationId, String what) {
        Actor actor = require();
        if (!actor.memberOf(organisationId) && !actor.isRegulator()) {
            throw new AccessDeniedException(what + " belongs to another organisation");
        }
        return actor;
    }
}
