package org.ditchley.registry.internal;

import java.util.regex.Pattern;
import org.ditchley.platform.InvalidInputException;

/**
 * One rule of the threshold policy: a model whose training compute is {@code > value} (or
 * {@code >= value}) crosses it. {@code precisionConvention} records how the law counts
 * operations (the EU counts floating-point operations; US rules count integer or floating-point
 * operations).
 */
public record ThresholdRule(String key, String label, String jurisdiction, Metric metric, Comparator comparator,
                            double value, String precisionConvention) {

    public enum Metric { TRAINING_COMPUTE }

    public enum Comparator {
        GT(">"), GE("≥");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean holds(double figure, double threshold) {
            return this == GT ? figure > threshold : figure >= threshold;
        }
    }

    private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    public ThresholdRule {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidInputException("rules.key", "must be 2–64 upper-case letters, digits or _ (got " + key + ")");
        }
        if (label == null || label.isBlank() || label.length() > 200) {
            throw new InvalidInputException("rules.label", "is required, at most 200 characters");
        }
        if (jurisdiction == null || jurisdiction.isBlank() || jurisdiction.length() > 50) {
            throw new InvalidInputException("rules.jurisdiction", "is required, at most 50 characters");
        }
        if (metric == null) {
            throw new InvalidInputException("rules.metric", "is required");
        }
        if (comparator == null) {
            throw new InvalidInputException("rules.comparator", "is required (GT or GE)");
        }
        if (!Double.isFinite(value) || value <= 0) {
            throw new InvalidInputException("rules.value", "must be a positive finite number");
        }
        if (precisionConvention == null || precisionConvention.isBlank() || precisionConvention.length() > 200) {
            throw new InvalidInputException("rules.precisionConvention", "is required, at most 200 characters");
        }
    }

    public boolean crossedBy(double flop) {
        return comparator.holds(flop, value);
    }

    /** E.g. {@code > 1e25 FLOP}. */
    public String condition() {
        return comparator.symbol() + " " + ComputeEstimator.sci(value) + " FLOP";
    }
}
