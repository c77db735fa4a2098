package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;
import org.ditchley.platform.Confidential;

/** A deployer registered a copy of a model in use. */
@Confidential
public record DeploymentRegistered(UUID deploymentId, UUID modelId, UUID organisationId, String status, UUID by, Instant at) {
}
