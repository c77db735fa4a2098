package org.ditchley.termination;

import java.time.Instant;
import java.util.UUID;

/**
 * A stop order took effect: the quorum approved it. {@code orderNoteSha256} is the SHA-256 of the
 * signed order pushed to the agents; {@code copies} how many deployments it covered then.
 */
public record StopOrderTookEffect(UUID orderId, long stopVersion, String orderNoteSha256, int copies, Instant at) {
}
