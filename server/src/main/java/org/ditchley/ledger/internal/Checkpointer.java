package org.ditchley.ledger.internal;

import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.Note;
import org.ditchley.tlog.NoteSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signs a checkpoint (c2sp.org/tlog-checkpoint) of the size and root the sequencer last
 * committed, every half second when the tree has grown. One node at a time signs (a PostgreSQL advisory lock), and a checkpoint is only ever
 * published for a size larger than the last.
 */
@Component
class Checkpointer {

    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
    private static final long LOCK = 0x4c45444745524350L;

    private final LedgerStore store;
    private final NoteSigner signer;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final LatestCheckpoint latest;

    Checkpointer(LedgerStore store, NoteSigner signer, JdbcClient db, TransactionTemplate tx, LatestCheckpoint latest) {
        this.latest = latest;
        this.store = store;
        this.signer = signer;
        this.db = db;
        this.tx = tx;
    }

    @Scheduled(fixedDelayString = "${ditchley.ledger.checkpoint-interval:500}")
    void integrate() {
        java.util.concurrent.atomic.AtomicReference<LatestCheckpoint.Signed> signed = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            tx.executeWithoutResult(status -> {
                if (!db.sql("select pg_try_advisory_xact_lock(?)").param(LOCK).query(Boolean.class).single()) {
                    return;
                }
                LedgerStore.State state = store.state();
                if (state.root() == null || state.size() <= store.latestCheckpointSize()) {
                    return;
                }
                Checkpoint checkpoint = new Checkpoint(signer.name(), state.size(), state.root());
                byte[] note = Note.sign(checkpoint.text(), signer);
                store.saveCheckpoint(state.size(), note);
                signed.set(new LatestCheckpoint.Signed(checkpoint, note));
            });
            if (signed.get() != null) {
                latest.offer(signed.get());
            }
        } catch (RuntimeException e) {
            log.warn("checkpoint not integrated: {}", e.getMessage());
        }
    }
}
