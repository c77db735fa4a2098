package org.ditchley.registry.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.ditchley.registry.LineageRelation;
import org.ditchley.registry.ModelStatus;

/** A model as the API shows it: its facts, every compute figure, and how the threshold policy judges it. */
public record ModelView(UUID id, UUID developerId, String developer, String name, String version, String modality,
                        Double parametersTotal, Double parametersActive, Double trainingTokens,
                        Double reportedCompute, String computeMethod, String hardwareChip, Double hardwareQuantity,
                        Double trainingHours, Double utilisation, String precision, boolean openWeights,
                        LocalDate publicationDate, ModelStatus status, String source, Compute compute,
                        List<Threshold> thresholds, List<Parent> parents, Long deployments, Long distributions,
                        Instant createdAt, Instant updatedAt) {

    /** Every figure side by side, and the one used, marked as an estimate or not. */
    public record Compute(Figure reported, Figure hardware, Figure parameters, Figure used) {
    }

    public record Figure(ComputeBasis basis, double flop, boolean estimate, String explanation) {
        static Figure of(ComputeEstimate e) {
            return e == null ? null : new Figure(e.basis(), e.flop(), e.estimate(), e.explanation());
        }
    }

    public record Threshold(String rule, String label, String jurisdiction, String condition, int policyVersion,
                            boolean crossed, ComputeBasis basis, boolean estimate, String why) {
    }

    public record Parent(UUID id, LineageRelation relation) {
    }

    static ModelView of(Model m, ComputeEstimates estimates, ThresholdPolicy policy, List<Parent> parents,
                        Long deployments, Long distributions) {
        ModelDraft f = m.facts();
        Compute compute = new Compute(Figure.of(estimates.reported().orElse(null)),
                Figure.of(estimates.hardware().orElse(null)), Figure.of(estimates.parameters().orElse(null)),
                Figure.of(estimates.used().orElse(null)));
        List<Threshold> thresholds = policy.evaluate(estimates).stream().map(t -> new Threshold(t.rule().key(),
                t.rule().label(), t.rule().jurisdiction(), t.rule().condition(), policy.version(), t.crossed(),
                t.basedOn() == null ? null : t.basedOn().basis(), t.basedOn() != null && t.basedOn().estimate(),
                t.why())).toList();
        return new ModelView(m.id(), m.organisationId(), m.organisationName(), f.name(), f.version(), f.modality(),
                f.parametersTotal(), f.parametersActive(), f.trainingTokens(), f.reportedCompute(), f.computeMethod(),
                f.hardwareChip(), f.hardwareQuantity(), f.trainingHours(), f.utilisation(), f.precision(),
                f.openWeights(), f.publicationDate(), m.status(), m.source(), compute, thresholds, parents,
                deployments, distributions, m.createdAt(), m.updatedAt());
    }
}
