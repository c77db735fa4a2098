package org.ditchley.termination;

import java.time.Instant;
import java.util.UUID;
import org.ditchley.platform.Confidential;

/** A deployment's agent sent a signed halt receipt for a stop order; {@code receiptSha256} is the SHA-256 of the signed receipt. */
@Confidential
public record DeploymentHalted(UUID deploymentId, UUID organisationId, UUID orderId, String how, Instant haltedAt,
                               String receiptSha256, Instant at) {
}
