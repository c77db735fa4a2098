package org.ditchley.termination;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An officer drafted a stop order: its scope, the kind of its reason and the grace period copies have to stop. */
public record StopOrderDrafted(UUID orderId, String scope, UUID modelId, boolean withDerivatives, List<UUID> targets,
                               String reasonKind, long graceSeconds, UUID by, Instant at) {
}
