package org.ditchley.ledger.internal;

import java.time.Duration;
import org.ditchley.platform.NotFoundException;
import org.ditchley.tlog.TiledHashes;
import org.ditchley.tlog.StoredHashes;
import org.ditchley.tlog.TlogException;
import org.ditchley.tlog.TlogProof;
import org.springframework.stereotype.Component;

/**
 * c2sp.org/tlog-proof receipts: an entry's index, its inclusion proof and the signed checkpoint
 * the proof leads to, which together prove offline that the entry is on the log.
 */
@Component
class Receipts {

    /** How long a receipt waits for a checkpoint to cover an entry that is sequenced but not yet signed. */
    static final Duration WAIT = Duration.ofSeconds(3);

    private final LedgerStore store;
    private final LatestCheckpoint latest;
    private final TileCache tiles;

    Receipts(LedgerStore store, LatestCheckpoint latest, TileCache tiles) {
        this.store = store;
        this.latest = latest;
        this.tiles = tiles;
    }

    /**
     * The receipt for entry {@code index} against the latest checkpoint, waiting up to {@code wait}
     * for one that covers it when the entry is already sequenced.
     *
     * @throws NotFoundException when no entry has that index, or no checkpoint covers it in time
     */
    byte[] receipt(long index, Duration wait) throws TlogException {
        long deadline = System.nanoTime() + wait.toNanos();
        LatestCheckpoint.Signed signed = latest.get();
        if (index >= signed.size() && index >= 0 && index < store.state().size()) {
            while (index >= signed.size() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                signed = latest.get();
            }
        }
        if (index < 0 || index >= signed.size()) {
            throw new NotFoundException("ledger entry", index + " (the published tree has " + signed.size() + " entries)");
        }
        var proof = StoredHashes.inclusionProof(index, signed.size(), TiledHashes.of(signed.size(), tiles));
        return new TlogProof(null, index, proof, signed.note()).bytes();
    }
}
