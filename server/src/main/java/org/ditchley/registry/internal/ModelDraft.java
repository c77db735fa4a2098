package org.ditchley.registry.internal;

import java.time.LocalDate;
import java.util.Locale;
import org.ditchley.platform.InvalidInputException;

/**
 * The facts a developer registers about a model. Every number must be finite and within reason
 * (parameters and tokens at most 1e16, compute at most 1e32 FLOP, utilisation in (0, 1]); each
 * violation names its field.
 */
public record ModelDraft(String name, String version, String modality, Double parametersTotal, Double parametersActive,
                         Double trainingTokens, Double reportedCompute, String computeMethod, String hardwareChip,
                         Double hardwareQuantity, Double trainingHours, Double utilisation, String precision,
                         Boolean openWeights, LocalDate publicationDate) {

    public static final double MAX_COUNT = 1e16;
    public static final double MAX_COMPUTE = 1e32;

    public ModelDraft {
        name = text("name", name, 200, true);
        version = version == null ? "" : text("version", version, 100, false);
        modality = modality == null ? "language" : text("modality", modality, 100, true).toLowerCase(Locale.ROOT);
        positive("parametersTotal", parametersTotal, MAX_COUNT);
        positive("parametersActive", parametersActive, MAX_COUNT);
        if (parametersTotal != null && parametersActive != null && parametersActive > parametersTotal) {
            throw new InvalidInputException("parametersActive", "exceeds parametersTotal");
        }
        positive("trainingTokens", trainingTokens, MAX_COUNT);
        positive("reportedCompute", reportedCompute, MAX_COMPUTE);
        computeMethod = computeMethod == null ? null : text("computeMethod", computeMethod, 500, false);
        hardwareChip = hardwareChip == null || hardwareChip.isBlank() ? null : text("hardwareChip", hardwareChip, 100, true);
        positive("hardwareQuantity", hardwareQuantity, 1e9);
        positive("trainingHours", trainingHours, 1e6);
        if (utilisation != null && (!Double.isFinite(utilisation) || utilisation <= 0 || utilisation > 1)) {
            throw new InvalidInputException("utilisation", "must be a fraction in (0, 1]");
        }
        precision = precision == null || precision.isBlank() ? null : text("precision", precision, 20, true).toUpperCase(Locale.ROOT);
        openWeights = openWeights != null && openWeights;
        if (publicationDate != null && (publicationDate.getYear() < 1900 || publicationDate.getYear() > 2200)) {
            throw new InvalidInputException("publicationDate", "is not a plausible date");
        }
    }

    static String text(String field, String value, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new InvalidInputException(field, "is required");
            }
            return value == null ? null : "";
        }
        String clean = value.strip();
        if (clean.length() > max) {
            throw new InvalidInputException(field, "is longer than " + max + " characters");
        }
        if (clean.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new InvalidInputException(field, "contains control characters");
        }
        return clean;
    }

    static void positive(String field, Double value, double max) {
        if (value == null) {
            return;
        }
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(field, "must be a finite number");
        }
        if (value <= 0) {
            throw new InvalidInputException(field, "must be positive");
        }
        if (value > max) {
            throw new InvalidInputException(field, "must be at most " + ComputeEstimator.sci(max));
        }
    }
}
