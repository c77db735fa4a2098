package org.ditchley.ledger.internal;

import java.util.ArrayList;
import java.util.List;
import org.ditchley.platform.EventBatch;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts every event the modules publish on the ledger, each event of an {@link EventBatch} as its
 * own entry. Inside a transaction the entries are queued
 * in that transaction, all with one statement as it commits, so they commit or roll back with the
 * change they record, and the sequencer is woken once it commits. Outside one, the event is appended directly and the publisher waits
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
        if (event instanceof EventBatch<?> batch) {
            batch.events().forEach(this::record);
        } else {
            record(event);
        }
    }

    private void record(Object event) {
        if (!Entries.recordable(event)) {
            return;
        }
        Pending entry = Entries.of(event, json);
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            // bounded: a sequencer that cannot commit for a minute fails the publisher rather than hang it
            sequencer.append(entry).orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            return;
        }
        Queued queued = null;
        for (TransactionSynchronization sync : TransactionSynchronizationManager.getSynchronizations()) {
            if (sync instanceof Queued q && q.recorder == this) {
                queued = q;
            }
        }
        if (queued == null) {
            queued = new Queued(this);
            TransactionSynchronizationManager.registerSynchronization(queued);
        }
        queued.entries.add(entry);
    }

    /**
     * The entries of one transaction, queued with one statement just before it commits, so that
     * they commit or roll back with the change they record; the sequencer is woken after the commit.
     */
    private static final class Queued implements TransactionSynchronization {

        final EventRecorder recorder;
        final List<Pending> entries = new ArrayList<>();
        List<Long> seqs = List.of();

        Queued(EventRecorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            seqs = recorder.store.queueAll(entries);
        }

        @Override
        public void afterCommit() {
            seqs.forEach(FiledEntries::queued);
            recorder.sequencer.wake();
        }
    }
}
