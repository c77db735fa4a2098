package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A model moved from one status to another. */
public record ModelStatusChanged(UUID modelId, ModelStatus from, ModelStatus to, String reason, UUID by, Instant at) {
}
