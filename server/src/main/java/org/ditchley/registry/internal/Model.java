package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.UUID;
import org.ditchley.registry.ModelStatus;

/** A registered model as stored. */
public record Model(UUID id, UUID organisationId, String organisationName, ModelDraft facts, ModelStatus status,
                    Double computeUsed, ComputeBasis computeBasis, String source, String sourceRef,
                    Instant createdAt, Instant updatedAt, Instant reviewedAt) {

    public String displayName() {
        return facts.version().isEmpty() ? facts.name() : facts.name() + " " + facts.version();
    }
}
