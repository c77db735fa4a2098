package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A regulator reviewed a new registration. */
public record RegistrationReviewed(String kind, UUID id, UUID by, Instant at) {
}
