package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** Registered facts of a model changed; `fields` names which. */
public record ModelUpdated(UUID modelId, UUID organisationId, java.util.List<String> fields, UUID by, Instant at) {
}
