package org.ditchley.registry.internal;

import java.util.List;

/** One page of a longer list: {@code page} counts from 0. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public int pages() {
        return (int) ((total + size - 1) / size);
    }
}
