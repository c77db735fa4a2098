package org.ditchley.ledger.internal;

import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.TlogException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Refuses to start a node whose log key did not sign the log in its database, as happens when a
 * second instance is pointed at the same database with a key of its own: two keys would publish
 * two histories. Such instances must share one key ({@code DITCHLEY_LEDGER_KEY_FILE}).
 */
@Component
class KeyMatchesLog implements SmartInitializingSingleton {

    private final LedgerStore store;
    private final NoteSigner signer;

    KeyMatchesLog(LedgerStore store, NoteSigner signer) {
        this.store = store;
        this.signer = signer;
    }

    @Override
    public void afterSingletonsInstantiated() {
        store.latestCheckpoint().ifPresent(note -> {
            try {
                Checkpoint.open(note, signer.verifier());
            } catch (TlogException e) {
                throw new IllegalStateException("the ledger in this database was not signed by this node's key "
                        + signer.verifier() + " (" + e.getMessage() + "); instances that share a database must share "
                        + "its ledger key: set DITCHLEY_LEDGER_KEY_FILE to the key that signed it");
            }
        });
    }
}
