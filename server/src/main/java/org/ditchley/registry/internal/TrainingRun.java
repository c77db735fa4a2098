package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered training run: the creation of a model. */
public record TrainingRun(UUID id, UUID modelId, String modelName, UUID organisationId, double plannedCompute,
                          String chipId, Integer chipCount, String precision, List<String> clusters,
                          List<String> providers, Instant plannedStart, Instant plannedEnd, Instant createdAt) {
}
