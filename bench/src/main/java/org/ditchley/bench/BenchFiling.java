package org.ditchley.bench;

import java.time.Instant;
import java.util.UUID;

/** A filing of the shape registry events have, for driving the ledger's append path. */
public record BenchFiling(UUID id, UUID by, UUID organisationId, Instant at, String document) {
}
