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

    Checkpointer(LedgerStore store, NoteSigner signer, JdbcClient db, TransactionTemplate tx) {
        this.store = store;
        this.signer = signer;
        this.db = db;
        this.tx = tx;
    }

    @Scheduled(fixedDelayString = "${ditchley.ledger.checkpoint-interval:500}")
    void integrate() {
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
                store.saveCheckpoint(state.size(), Note.sign(checkpoint.text(), signer));
            });
        } catch (RuntimeException e) {
            log.warn("checkpoint not integrated: {}", e.getMessage());
        }
    }
}
