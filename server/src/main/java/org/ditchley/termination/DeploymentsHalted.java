package org.ditchley.termination;

import java.util.List;
import org.ditchley.platform.EventBatch;

/** The halt receipts recorded in one batch, each its own {@link DeploymentHalted}; never empty. */
public record DeploymentsHalted(List<DeploymentHalted> events) implements EventBatch<DeploymentHalted> {

    public DeploymentsHalted {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a batch of halts holds at least one");
        }
        events = List.copyOf(events);
    }
}
