package org.ditchley.identity;

import java.time.Instant;
import java.util.UUID;

/** An organisation was added to the register; {@code by} is null when an import created it. */
public record OrganisationCreated(UUID organisationId, String name, OrganisationKind kind, String jurisdiction,
                                  UUID by, Instant at) {
}
