package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** The weights of a registered artifact were found to derive from another model's artifact; {@code declared} says whether its model declares that parent. */
public record DerivativeDetected(UUID childModelId, UUID parentModelId, UUID artifactId, UUID parentArtifactId, String verdict,
                                 double confidence, boolean declared, Instant at) {
}
