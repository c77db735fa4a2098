package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** A registered deployment: a copy of a model in use, run by a deployer. */
public record Deployment(UUID id, UUID organisationId, String organisationName, UUID modelId, String modelName,
                         LocationKind locationKind, String location, String endpoint, Status status,
                         Instant createdAt, UUID artifactId, String agentKey) {

    public enum LocationKind { FACILITY, CLOUD_REGION }

    public enum Status {
        PLANNED, ACTIVE, SUSPENDED, RETIRED;

        public Set<Status> next() {
            return switch (this) {
                case PLANNED -> EnumSet.of(ACTIVE, RETIRED);
                case ACTIVE -> EnumSet.of(SUSPENDED, RETIRED);
                case SUSPENDED -> EnumSet.of(ACTIVE, RETIRED);
                case RETIRED -> EnumSet.noneOf(Status.class);
            };
        }
    }
}
