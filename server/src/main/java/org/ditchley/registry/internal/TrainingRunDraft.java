package org.ditchley.registry.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ditchley.platform.InvalidInputException;

/**
 * A training run to register. {@code plannedCompute} may be left out when chips, their count,
 * precision and utilisation are given: it is then estimated from the hardware over the planned
 * duration.
 */
public record TrainingRunDraft(UUID modelId, Double plannedCompute, String chipId, Integer chipCount, String precision,
                               Double utilisation, List<String> clusters, List<String> providers, Instant plannedStart,
                               Instant plannedEnd) {

    public TrainingRunDraft {
        if (modelId == null) {
            throw new InvalidInputException("modelId", "is required");
        }
        ModelDraft.positive("plannedCompute", plannedCompute, ModelDraft.MAX_COMPUTE);
        if (chipCount != null && (chipCount <= 0 || chipCount > 100_000_000)) {
            throw new InvalidInputException("chipCount", "must be between 1 and 100000000");
        }
        if (utilisation != null && (!Double.isFinite(utilisation) || utilisation <= 0 || utilisation > 1)) {
            throw new InvalidInputException("utilisation", "must be a fraction in (0, 1]");
        }
        clusters = names("clusters", clusters);
        providers = names("providers", providers);
        if (plannedStart == null) {
            throw new InvalidInputException("plannedStart", "is required");
        }
        if (plannedEnd == null) {
            throw new InvalidInputException("plannedEnd", "is required");
        }
        if (!plannedEnd.isAfter(plannedStart)) {
            throw new InvalidInputException("plannedEnd", "must be after plannedStart");
        }
        if (Duration.between(plannedStart, plannedEnd).toDays() > 3660) {
            throw new InvalidInputException("plannedEnd", "a run longer than ten years is not plausible");
        }
        chipId = chipId == null || chipId.isBlank() ? null : ModelDraft.text("chipId", chipId, 100, true);
        precision = precision == null || precision.isBlank() ? null : ModelDraft.text("precision", precision, 20, true).toUpperCase();
    }

    private static List<String> names(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > 100) {
            throw new InvalidInputException(field, "at most 100 entries");
        }
        return values.stream().map(v -> ModelDraft.text(field, v, 200, true)).toList();
    }

    public double hours() {
        return Duration.between(plannedStart, plannedEnd).toSeconds() / 3600.0;
    }
}
