package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;
import org.ditchley.platform.Confidential;

/** A deployment's agent was enrolled: the artifact it serves and the key it signs with (named by its note key name and ID). */
@Confidential
public record DeploymentAgentEnrolled(UUID deploymentId, UUID organisationId, UUID artifactId, String manifestDigest, String agentKey, UUID by,
                                      Instant at) {
}
