package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered distribution: a distributor sells, licenses or hosts a model. Public record. */
public record Distribution(UUID id, UUID organisationId, String organisationName, UUID modelId, String modelName,
                           Channel channel, String terms, List<String> jurisdictions, Instant createdAt) {

    public enum Channel { API, WEIGHTS_DOWNLOAD, LICENCE }
}
