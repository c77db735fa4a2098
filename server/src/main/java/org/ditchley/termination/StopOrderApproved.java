package org.ditchley.termination;

import java.time.Instant;
import java.util.UUID;

/** An officer approved a stop order taking effect ({@code action} EFFECT) or being lifted (LIFT). */
public record StopOrderApproved(UUID orderId, String action, int approvals, int quorum, UUID by, Instant at) {
}
