package org.ditchley.ledger;

import java.util.concurrent.CompletableFuture;

/**
 * Files records on the ledger. Events published inside a transaction need none of this: they are
 * queued in that transaction and sequenced after it commits. This is for records that change no
 * registry state, filed on their own.
 */
public interface Ledger {

    /**
     * Puts {@code record}, a record type of an {@code org.ditchley} module, on the ledger as a
     * canonical JSON entry. The future completes with the entry's index once that index is
     * committed, or exceptionally if it was not.
     *
     * @throws IllegalArgumentException if {@code record} is not such a record
     */
    CompletableFuture<Long> append(Object record);

    /**
     * A c2sp.org/tlog-proof receipt (text) proving entry {@code index} is on the log: its
     * inclusion proof against the latest signed checkpoint, with that checkpoint. Waits briefly
     * for a checkpoint to cover an entry that was just sequenced.
     *
     * @throws org.ditchley.platform.NotFoundException when no checkpoint covers {@code index}
     */
    byte[] receipt(long index);
}
