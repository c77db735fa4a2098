package org.ditchley.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The register of organisations, for other modules. */
public interface Organisations {

    Optional<Organisation> find(UUID id);

    Optional<Organisation> findByName(String name);

    List<Organisation> all();

    /** Names by id, for rendering lists. */
    Map<UUID, String> names(Collection<UUID> ids);

    /**
     * The organisation called {@code name} (case-insensitive), created with {@code kind} and
     * {@code jurisdiction} when there is none yet. Used by bulk imports from public datasets.
     */
    Organisation findOrCreate(String name, OrganisationKind kind, String jurisdiction);
}
