package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A developer registered an artifact (a released set of weights) of one of its models, by its digests. */
public record ArtifactRegistered(UUID artifactId, UUID modelId, UUID organisationId, String manifestDigest, int tensors,
                                 UUID by, Instant at) {
}
