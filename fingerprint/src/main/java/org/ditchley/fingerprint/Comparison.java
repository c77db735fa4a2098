package org.ditchley.fingerprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two model fingerprints. Tensors are paired by {@link TensorNames#canonical canonical
 * name}; paired tensors with equal digests are identical; paired sketches of the same shape are
 * correlated. The verdict follows the median correlation: at least {@value #DERIVED} means every
 * value moved only a little (fine-tune, quantization, adapter), at least {@value #MERGED} means a
 * substantial part of the other's weights is in it (merge), below that the weights are
 * independent: unrelated models of the same architecture correlate near 0, well inside
 * ±0.15 for {@value Sketches#SAMPLES} samples.
 */
public final class Comparison {

    public static final double DERIVED = 0.95;
    public static final double MERGED = 0.35;

    private Comparison() {
    }

    /**
     * How {@code candidate} relates to {@code registered}. {@code sameManifest} says whether their
     * model-signing manifest digests are equal.
     */
    public static Verdict compare(ModelFingerprint candidate, ModelFingerprint registered, boolean sameManifest) {
        List<String> evidence = new ArrayList<>();
        if (sameManifest) {
            evidence.add("the model-signing manifest digests are equal");
            return new Verdict(Verdict.Kind.IDENTICAL, 1.0, evidence, List.of());
        }
        Map<String, TensorDigests.TensorDigest> theirs = new HashMap<>();
        registered.tensors().forEach(d -> theirs.put(TensorNames.canonical(d.tensor().name()), d));
        Map<String, TensorSketch> theirSketches = new HashMap<>();
        registered.sketches().forEach(s -> theirSketches.put(TensorNames.canonical(s.name()), s));
        Map<String, TensorSketch> ourSketches = new HashMap<>();
        candidate.sketches().forEach(s -> ourSketches.put(TensorNames.canonical(s.name()), s));

        List<Verdict.TensorSimilarity> pairs = new ArrayList<>();
        int identical = 0;
        List<Double> correlations = new ArrayList<>();
        for (TensorDigests.TensorDigest ours : candidate.tensors()) {
            String name = TensorNames.canonical(ours.tensor().name());
            TensorDigests.TensorDigest other = theirs.get(name);
            if (other == null) {
                continue;
            }
            boolean same = other.digest().equals(ours.digest());
            identical += same ? 1 : 0;
            double r = Double.NaN;
            TensorSketch a = ourSketches.get(name);
            TensorSketch b = theirSketches.get(name);
            if (same && a != null) {
                r = 1.0;
            } else if (a != null && b != null && a.shape().equals(b.shape())) {
                r = a.correlation(b);
            }
            if (!Double.isNaN(r)) {
                correlations.add(r);
            }
            pairs.add(new Verdict.TensorSimilarity(name, same, r));
        }
        int theirCount = registered.tensors().size();
        evidence.add(pairs.size() + " of " + candidate.tensors().size() + " tensors have a counterpart among the other's " + theirCount);
        evidence.add(identical + " tensors are identical");
        if (!pairs.isEmpty() && identical == pairs.size() && pairs.size() == candidate.tensors().size() && pairs.size() == theirCount) {
            return new Verdict(Verdict.Kind.RE_ENCODED, 1.0, evidence, pairs);
        }
        if (correlations.isEmpty()) {
            evidence.add("no large tensors of the same shape to compare");
            return identical > 0 ? new Verdict(Verdict.Kind.SHARES_TENSORS, 1.0, evidence, pairs)
                    : new Verdict(Verdict.Kind.UNRELATED, 0.5, evidence, pairs);
        }
        List<Double> sorted = correlations.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        long derived = correlations.stream().filter(r -> r >= DERIVED).count();
        long related = correlations.stream().filter(r -> r >= MERGED).count();
        evidence.add(String.format(Locale.ROOT, "%d sketched tensors: median correlation %.4f, lowest %.4f, highest %.4f; %d at or above %.2f",
                correlations.size(), median, sorted.get(0), sorted.get(sorted.size() - 1), derived, DERIVED));
        if (median >= DERIVED) {
            evidence.add("every value moved only a little: a fine-tune, quantization or adapter of the other");
            return new Verdict(Verdict.Kind.DERIVATIVE, (double) derived / correlations.size(), evidence, pairs);
        }
        if (median >= MERGED) {
            evidence.add("a large share of the other's weights is in every tensor: a merge or heavy further training");
            return new Verdict(Verdict.Kind.DERIVATIVE, (double) related / correlations.size(), evidence, pairs);
        }
        long independent = correlations.stream().filter(r -> Math.abs(r) < MERGED).count();
        if (identical > 0) {
            evidence.add("the other tensors are independent of the other model's");
            return new Verdict(Verdict.Kind.SHARES_TENSORS, (double) independent / correlations.size(), evidence, pairs);
        }
        return new Verdict(Verdict.Kind.UNRELATED, (double) independent / correlations.size(), evidence, pairs);
    }
}
