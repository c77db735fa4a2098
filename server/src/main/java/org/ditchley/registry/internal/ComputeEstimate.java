package org.ditchley.registry.internal;

import java.util.Objects;

/** A training-compute figure in FLOP, where it comes from and how it was worked out. */
public record ComputeEstimate(ComputeBasis basis, double flop, String explanation) {

    public ComputeEstimate {
        Objects.requireNonNull(basis, "basis");
        if (!Double.isFinite(flop) || flop < 0) {
            throw new IllegalArgumentException("compute must be a finite, non-negative number of FLOP: " + flop);
        }
        Objects.requireNonNull(explanation, "explanation");
    }

    public boolean estimate() {
        return basis.estimate();
    }
}
