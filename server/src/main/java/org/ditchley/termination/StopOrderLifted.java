package org.ditchley.termination;

import java.time.Instant;
import java.util.UUID;

/** A stop order was lifted by the larger quorum; its copies may be licensed again. */
public record StopOrderLifted(UUID orderId, long stopVersion, Instant at) {
}
