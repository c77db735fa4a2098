package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;
import org.ditchley.platform.Confidential;

/** A deployment changed status. */
@Confidential
public record DeploymentStatusChanged(UUID deploymentId, String from, String to, UUID by, Instant at) {
}
