package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A deployment changed status. */
public record DeploymentStatusChanged(UUID deploymentId, String from, String to, UUID by, Instant at) {
}
