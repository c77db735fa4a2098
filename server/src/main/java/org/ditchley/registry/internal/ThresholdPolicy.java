package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A version of the threshold policy: the rules in force from {@code effectiveFrom}. */
public record ThresholdPolicy(int version, String title, Instant effectiveFrom, List<ThresholdRule> rules) {

    public ThresholdPolicy {
        rules = List.copyOf(rules);
    }

    public Optional<ThresholdRule> rule(String key) {
        return rules.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    /** How each rule judges a model with these compute figures. */
    public List<ThresholdEvaluation> evaluate(ComputeEstimates estimates) {
        Optional<ComputeEstimate> used = estimates.used();
        return rules.stream().map(rule -> ThresholdEvaluation.of(rule, used)).toList();
    }
}
