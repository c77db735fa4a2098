package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A distributor registered that it sells, licenses or hosts a model. */
public record DistributionRegistered(UUID distributionId, UUID modelId, UUID organisationId, String channel, UUID by, Instant at) {
}
