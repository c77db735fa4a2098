package org.ditchley.ledger.internal;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts every event the modules publish on the ledger. Inside a transaction the entry is queued in
 * that transaction, so it commits or rolls back with the change it records, and the sequencer
 * is woken once it commits. Outside one, the event is appended directly and the publisher waits
 * until its index is committed.
 */
@Component
class EventRecorder {

    private final LedgerStore store;
    private final Sequencer sequencer;
    private final JsonMapper json;

    EventRecorder(LedgerStore store, Sequencer sequencer, JsonMapper json) {
        this.store = store;
        this.sequencer = sequencer;
        this.json = json;
    }

    @EventListener
    void on(Object event) {
        if (!Entries.recordable(event)) {
            return;
        }
        Pending entry = Entries.of(event, json);
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            // bounded: a sequencer that cannot commit for a minute fails the publisher rather than hang it
            sequencer.append(entry).orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            return;
        }
        long seq = store.queue(entry);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                FiledEntries.queued(seq);
                sequencer.wake();
            }
        });
    }
}
