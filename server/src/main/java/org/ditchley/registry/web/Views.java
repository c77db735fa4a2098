package org.ditchley.registry.web;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.ModelStatus;
import org.ditchley.registry.internal.ComputeEstimator;
import org.ditchley.registry.internal.ModelView;

/** Small conversions shared by the registry pages: request text to values, figures to text. */
final class Views {

    private Views() {
    }

    /** A row of the register. */
    record Row(UUID id, String name, String developer, ModelStatus status, String compute, boolean estimate,
               List<String> crossed) {
        static Row of(ModelView m) {
            ModelView.Figure used = m.compute().used();
            String name = m.version() == null || m.version().isEmpty() ? m.name() : m.name() + " " + m.version();
            return new Row(m.id(), name, m.developer(), m.status(), used == null ? null : flop(used.flop()),
                    used != null && used.estimate(),
                    m.thresholds().stream().filter(ModelView.Threshold::crossed).map(ModelView.Threshold::rule).toList());
        }
    }

    /** One line of a model's compute table. */
    record FigureRow(String source, String flop, String explanation, boolean used, boolean estimate) {
        static FigureRow of(String source, ModelView.Figure figure, ModelView.Figure used) {
            if (figure == null) {
                return new FigureRow(source, null, null, false, false);
            }
            return new FigureRow(source, Views.flop(figure.flop()), figure.explanation(),
                    used != null && used.basis() == figure.basis(), figure.estimate());
        }
    }

    static String flop(double value) {
        return ComputeEstimator.sci(value);
    }

    /** A value for an edit form: exact, so saving the form unchanged changes nothing. */
    static String plain(Double value) {
        if (value == null) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf(value.longValue());
        }
        return Double.toString(value);
    }

    static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "is not an identifier");
        }
    }

    static ModelStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ModelStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status", "is not one of " + List.of(ModelStatus.values()));
        }
    }

    static Double number(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(value.strip().replace(",", "").replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "'" + value.strip() + "' is not a number");
        }
    }

    static Integer integer(String field, String value) {
        Double d = number(field, value);
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return d.intValue();
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
