package org.ditchley.ledger.internal;

import org.ditchley.platform.NotFoundException;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.TlogException;
import org.springframework.stereotype.Component;

/**
 * The latest signed checkpoint, kept in memory for readers: set as soon as this node signs one,
 * and read again from the database at most every quarter second, so that a checkpoint another
 * node signed is seen promptly too. Every checkpoint read is verified with the log's key.
 */
@Component
class LatestCheckpoint {

    /** A checkpoint with the exact note bytes that were signed. */
    record Signed(Checkpoint checkpoint, byte[] note) {
        long size() {
            return checkpoint.size();
        }
    }

    private static final long REFRESH_NANOS = 250_000_000L;

    private final LedgerStore store;
    private final NoteSigner signer;
    private volatile Signed latest;
    private volatile long readAt;

    LatestCheckpoint(LedgerStore store, NoteSigner signer) {
        this.store = store;
        this.signer = signer;
    }

    /** The latest checkpoint; 404 before the first one is signed. */
    Signed get() throws TlogException {
        Signed current = latest;
        if (current == null || System.nanoTime() - readAt > REFRESH_NANOS) {
            byte[] note = store.latestCheckpoint().orElseThrow(() -> new NotFoundException("checkpoint", "(none yet)"));
            Signed read = new Signed(Checkpoint.open(note, signer.verifier()), note);
            readAt = System.nanoTime();
            current = offer(read);
        }
        return current;
    }

    /** Records a checkpoint just signed or read; keeps whichever is larger. Returns the latest. */
    synchronized Signed offer(Signed signed) {
        if (latest == null || signed.size() >= latest.size()) {
            latest = signed;
        }
        return latest;
    }
}
