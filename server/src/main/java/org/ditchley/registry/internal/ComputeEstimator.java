package org.ditchley.registry.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * Training-compute estimates in FLOP.
 * <ul>
 *   <li>parameters: {@code 6 × N × D}, N the active parameters (total for dense models), D the
 *       training tokens: the forward and backward pass cost of a transformer (Kaplan et al. 2020).
 *   <li>hardware: {@code chips × peak dense FLOP/s at the precision × utilisation × seconds}.
 * </ul>
 */
public final class ComputeEstimator {

    /** Utilisation assumed when none is known: the middle of the 30–50 % typical of large runs. */
    public static final double ASSUMED_UTILISATION = 0.4;

    private ComputeEstimator() {
    }

    public static Optional<ComputeEstimate> fromParameters(Double active, Double total, Double tokens) {
        Double n = active != null ? active : total;
        if (n == null || tokens == null || n <= 0 || tokens <= 0) {
            return Optional.empty();
        }
        String which = active != null ? "active parameters" : "parameters (active count not given; total used)";
        return Optional.of(new ComputeEstimate(ComputeBasis.PARAMETERS, 6 * n * tokens,
                "6 × " + sci(n) + " " + which + " × " + sci(tokens) + " tokens"));
    }

    /**
     * @param peakFlops peak dense FLOP/s of one chip at {@code precision}
     * @param utilisation measured model FLOP utilisation, or null to assume {@link #ASSUMED_UTILISATION}
     */
    public static Optional<ComputeEstimate> fromHardware(String chipName, String precision, Double peakFlops,
                                                         Double chips, Double hours, Double utilisation) {
        if (peakFlops == null || chips == null || hours == null || chips <= 0 || hours <= 0 || peakFlops <= 0) {
            return Optional.empty();
        }
        double u = utilisation != null ? utilisation : ASSUMED_UTILISATION;
        double flop = chips * peakFlops * u * hours * 3600.0;
        String explanation = String.format(Locale.ROOT, "%s × %s (%s %s FLOP/s) × %s h × %.0f%% utilisation%s",
                plain(chips), chipName, sci(peakFlops), precision, plain(hours), u * 100,
                utilisation != null ? "" : " (assumed)");
        return Optional.of(new ComputeEstimate(ComputeBasis.HARDWARE, flop, explanation));
    }

    public static ComputeEstimate reported(double flop, String method) {
        return new ComputeEstimate(ComputeBasis.REPORTED, flop,
                method == null || method.isBlank() ? "reported" : "reported: " + method);
    }

    /** {@code 3.79e25}: three significant digits in scientific notation. */
    public static String sci(double value) {
        return String.format(Locale.ROOT, "%.3g", value).replace("e+", "e").replace("e0", "e");
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value) : String.valueOf(value);
    }
}
