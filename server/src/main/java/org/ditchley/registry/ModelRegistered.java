package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A model was added to the register, by its developer, a regulator or an import (`source`). */
public record ModelRegistered(UUID modelId, UUID organisationId, String name, String version, String source, UUID by, Instant at) {
}
