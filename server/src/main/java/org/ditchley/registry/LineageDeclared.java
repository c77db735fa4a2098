package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A model declared that it derives from a parent. */
public record LineageDeclared(UUID childId, UUID parentId, LineageRelation relation, UUID by, Instant at) {
}
