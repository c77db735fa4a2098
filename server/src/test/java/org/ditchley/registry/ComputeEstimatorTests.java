package org.ditchley.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import org.ditchley.registry.internal.ComputeEstimate;
import org.ditchley.registry.internal.ComputeEstimator;
import org.junit.jupiter.api.Test;

class ComputeEstimatorTests {

    @Test
    void llama31_405bFromParametersAndTokens() {
        ComputeEstimate e = ComputeEstimator.fromParameters(405e9, null, 15.6e12).orElseThrow();
        assertThat(e.flop()).isCloseTo(3.79e25, withPercentage(0.1));
        assertThat(e.estimate()).isTrue();
    }

    @Test
    void gpt4FromHardware() {
        ComputeEstimate e = ComputeEstimator.fromHardware("NVIDIA A100", "BF16", 312e12, 25_000.0, 2_280.0, 0.34).orElseThrow();
        assertThat(e.flop()).isCloseTo(2.18e25, withPercentage(0.5));
        assertThat(e.explanation()).contains("25,000").contains("A100").contains("34%");
    }

    @Test
    void totalParametersStandInWhenActiveAreUnknownAndSaySo() {
        ComputeEstimate e = ComputeEstimator.fromParameters(null, 7e9, 2e12).orElseThrow();
        assertThat(e.flop()).isEqualTo(6 * 7e9 * 2e12);
        assertThat(e.explanation()).contains("total");
    }

    @Test
    void missingInputsGiveNoEstimate() {
        assertThat(ComputeEstimator.fromParameters(null, null, 1e12)).isEmpty();
        assertThat(ComputeEstimator.fromHardware("A100", "BF16", 312e12, null, 10.0, 0.4)).isEmpty();
    }

    @Test
    void unknownUtilisationIsAssumedAndSaidToBe() {
        ComputeEstimate e = ComputeEstimator.fromHardware("H100", "BF16", 989.4e12, 1000.0, 100.0, null).orElseThrow();
        assertThat(e.flop()).isCloseTo(1000 * 989.4e12 * ComputeEstimator.ASSUMED_UTILISATION * 100 * 3600, withPercentage(1e-9));
        assertThat(e.explanation()).contains("assumed");
    }
}
