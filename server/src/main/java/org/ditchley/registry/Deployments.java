package org.ditchley.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What other modules may ask the registry about deployments, their agents and the lineage that
 * connects models: enough to resolve a stop order's scope and to decide whether a deployment
 * may hold an operating license. Lineage is declared lineage and lineage detected in the
 * weights together, followed transitively.
 */
public interface Deployments {

    /**
     * A deployment as termination sees it. {@code manifestDigest} and {@code agentKey} are null
     * until its agent is enrolled; {@code frontier} says whether its model crosses a threshold.
     */
    record Copy(UUID id, UUID organisationId, UUID modelId, String modelName, String status, UUID artifactId,
                String manifestDigest, String agentKey, boolean frontier) {

        public boolean active() {
            return "ACTIVE".equals(status);
        }
    }

    Optional<Copy> find(UUID deploymentId);

    /** The deployments among {@code ids} that exist. */
    List<Copy> byIds(Collection<UUID> ids);

    /** The deployments of any of {@code models}. */
    List<Copy> ofModels(Collection<UUID> models);

    /** The deployments serving any of {@code artifacts}. */
    List<Copy> ofArtifacts(Collection<UUID> artifacts);

    /** {@code modelId} and every model descended from it, declared or detected, transitively. */
    Set<UUID> withDescendants(UUID modelId);

    /** The model-signing manifest digests of the artifacts of {@code models}. */
    Set<String> manifestDigestsOfModels(Collection<UUID> models);

    /** The model-signing manifest digests of {@code artifacts}. */
    Set<String> manifestDigestsOfArtifacts(Collection<UUID> artifacts);

    boolean modelExists(UUID modelId);

    /** The artifacts among {@code ids} that do not exist. */
    Set<UUID> unknownArtifacts(Collection<UUID> ids);
}
