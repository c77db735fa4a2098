package org.ditchley.registry.internal;

import java.util.UUID;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.ModelStatus;

/** Which models to list: by developer, status, a threshold rule crossed and a text search. */
public record ModelFilter(UUID developer, ModelStatus status, String threshold, String q, int page, int size) {

    public static final int MAX_SIZE = 200;

    public ModelFilter {
        if (page < 0 || page > 1_000_000) {
            throw new InvalidInputException("page", "must be between 0 and 1000000");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidInputException("size", "must be between 1 and " + MAX_SIZE);
        }
        if (q != null && q.length() > 200) {
            throw new InvalidInputException("q", "is longer than 200 characters");
        }
        if (threshold != null && threshold.isBlank()) {
            threshold = null;
        }
    }
}
