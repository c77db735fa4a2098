package org.ditchley.fingerprint;

import java.util.List;

/**
 * How one model's weights relate to another's, with the evidence: which tensors are identical,
 * how the sketches of the others correlate, and a confidence between 0 and 1.
 */
public record Verdict(Kind kind, double confidence, List<String> evidence, List<TensorSimilarity> tensors) {

    public enum Kind {
        /** The same files, byte for byte (equal manifest digests). */
        IDENTICAL,
        /** The same tensors in a re-written file: header order, metadata or container changed. */
        RE_ENCODED,
        /** A fine-tune, quantization, adapter merge or model merge of the other. */
        DERIVATIVE,
        /** Some tensors are identical, the rest unrelated (e.g. a shared embedding). */
        SHARES_TENSORS,
        /** Nothing in common. */
        UNRELATED
    }

    /** One tensor present in both: whether its digests are equal and how its sketches correlate (NaN if not sketched). */
    public record TensorSimilarity(String name, boolean identical, double correlation) {
    }

    public Verdict {
        evidence = List.copyOf(evidence);
        tensors = List.copyOf(tensors);
    }
}
