package org.ditchley.registry;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a registered model. Development moves forward (planned, in training, registered);
 * the regulator authorises deployment, suspends, reinstates and terminates. A terminated model
 * stays terminated.
 */
public enum ModelStatus {
    PLANNED, IN_TRAINING, REGISTERED, AUTHORISED_FOR_DEPLOYMENT, SUSPENDED, TERMINATED;

    /** The statuses this one may move to. */
    public Set<ModelStatus> next() {
        return switch (this) {
            case PLANNED -> EnumSet.of(IN_TRAINING, REGISTERED, TERMINATED);
            case IN_TRAINING -> EnumSet.of(REGISTERED, SUSPENDED, TERMINATED);
            case REGISTERED -> EnumSet.of(AUTHORISED_FOR_DEPLOYMENT, SUSPENDED, TERMINATED);
            case AUTHORISED_FOR_DEPLOYMENT -> EnumSet.of(SUSPENDED, TERMINATED);
            case SUSPENDED -> EnumSet.of(REGISTERED, AUTHORISED_FOR_DEPLOYMENT, TERMINATED);
            case TERMINATED -> EnumSet.noneOf(ModelStatus.class);
        };
    }

    public boolean canMoveTo(ModelStatus target) {
        return next().contains(target);
    }

    /**
     * Whether the developer may make this move itself; every other move is the regulator's
     * (authorising, suspending, reinstating, terminating).
     */
    public boolean developerMayMoveTo(ModelStatus target) {
        return canMoveTo(target) && (target == IN_TRAINING || target == REGISTERED) && this != SUSPENDED;
    }
}
