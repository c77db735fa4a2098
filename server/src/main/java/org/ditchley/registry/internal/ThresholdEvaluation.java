package org.ditchley.registry.internal;

import java.util.Optional;

/** Whether a model crosses a rule, by which figure, and a sentence saying why. */
public record ThresholdEvaluation(ThresholdRule rule, boolean crossed, ComputeEstimate basedOn, String why) {

    static ThresholdEvaluation of(ThresholdRule rule, Optional<ComputeEstimate> used) {
        if (used.isEmpty()) {
            return new ThresholdEvaluation(rule, false, null, "no compute figure or estimate is known");
        }
        ComputeEstimate figure = used.get();
        boolean crossed = rule.crossedBy(figure.flop());
        String kind = figure.estimate() ? "estimated (" + figure.basis().name().toLowerCase() + ")" : "reported";
        String why = kind + " training compute " + ComputeEstimator.sci(figure.flop()) + " FLOP "
                + (crossed ? "is " : "is not ") + rule.condition();
        return new ThresholdEvaluation(rule, crossed, figure, why);
    }
}
