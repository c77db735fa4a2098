package org.ditchley.platform;

import java.util.List;

/**
 * Events published together, for a module that decides many at once (a batch of halt receipts):
 * one publication instead of one per event. Listeners take each of {@link #events()} as if it had
 * been published alone, in order; the batch itself is no event of its own (the ledger records
 * every event in it, and not the batch).
 *
 * @param <E> the events: past-tense records, as any published event
 */
public interface EventBatch<E extends Record> {

    /** The events, in the order they happened; never empty. */
    List<E> events();
}
