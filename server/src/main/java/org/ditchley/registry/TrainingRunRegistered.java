package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;
import org.ditchley.platform.Confidential;

/** A training run was registered before (or, under every threshold, after) it started. */
@Confidential
public record TrainingRunRegistered(UUID runId, UUID modelId, UUID organisationId, double plannedCompute, Instant plannedStart, UUID by, Instant at) {
}
