package org.ditchley.identity;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** An account was created, by set-up or by accepting an invitation. */
public record AccountCreated(UUID accountId, UUID organisationId, Set<Role> roles, Instant at) {
}
