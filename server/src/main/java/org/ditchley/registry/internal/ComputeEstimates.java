package org.ditchley.registry.internal;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every training-compute figure known for a model, side by side, and the one used to classify
 * it: the reported figure when there is one, else the hardware estimate, else 6·N·D.
 */
public record ComputeEstimates(Optional<ComputeEstimate> reported, Optional<ComputeEstimate> hardware,
                               Optional<ComputeEstimate> parameters) {

    public Optional<ComputeEstimate> used() {
        return Stream.of(reported, hardware, parameters).flatMap(Optional::stream).findFirst();
    }
}
