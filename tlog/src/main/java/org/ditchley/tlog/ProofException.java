package org.ditchley.tlog;

/**
 * A Merkle proof does not verify. When the proof is well-formed but leads elsewhere,
 * {@link #computed()} and {@link #expected()} name both roots.
 */
public class ProofException extends TlogException {

    private final Hash computed;
    private final Hash expected;

    public ProofException(String message) {
        super(message);
        this.computed = null;
        this.expected = null;
    }

    ProofException(Hash computed, Hash expected) {
        super("proof leads to root " + computed + ", not to the expected root " + expected);
        this.computed = computed;
        this.expected = expected;
    }

    public Hash computed() {
        return computed;
    }

    public Hash expected() {
        return expected;
    }
}
