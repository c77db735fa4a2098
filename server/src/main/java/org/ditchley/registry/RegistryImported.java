package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A dataset was imported into the register. */
public record RegistryImported(UUID importId, String format, String fileSha256, int created, int updated, int unchanged, int skipped, UUID by, Instant at) {
}
