package org.ditchley.termination.internal;

import org.ditchley.registry.ArtifactRegistered;
import org.ditchley.registry.DeploymentAgentEnrolled;
import org.ditchley.registry.DeploymentRegistered;
import org.ditchley.registry.DerivativeDetected;
import org.ditchley.registry.LineageDeclared;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Widens orders in effect as the registry learns more, in the same transaction: a model newly
 * declared or detected as a derivative of a stopped one, a new artifact of a stopped model, a new
 * deployment or enrolment serving one. No license is ever issued against a scope that is out of date.
 */
@Component
class RegistryChanges {

    private final StopOrders orders;

    RegistryChanges(StopOrders orders) {
        this.orders = orders;
    }

    @EventListener
    void on(LineageDeclared e) {
        orders.reresolve();
    }

    @EventListener
    void on(DerivativeDetected e) {
        orders.reresolve();
    }

    @EventListener
    void on(ArtifactRegistered e) {
        orders.reresolve();
    }

    @EventListener
    void on(DeploymentRegistered e) {
        orders.reresolve();
    }

    @EventListener
    void on(DeploymentAgentEnrolled e) {
        orders.reresolve();
    }
}
