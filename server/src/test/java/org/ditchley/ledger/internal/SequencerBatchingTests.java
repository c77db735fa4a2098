package org.ditchley.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * While entries keep being committed the sequencer lets its batches gather, so a burst costs a
 * few transactions rather than one per commit; an entry committed to an idle ledger is
 * sequenced at once. Each batch commits in one transaction, which PostgreSQL records as the
 * {@code xmin} of the entries it inserted.
 */
@NodeTest
class SequencerBatchingTests {

    static final int COMMITS = 20;
    static final long APART_MILLIS = 20;

    @Autowired
    Sequencer sequencer;
    @Autowired
    LedgerStore store;
    @Autowired
    TileCache tiles;
    @Autowired
    JdbcClient db;
    @Autowired
    TransactionTemplate tx;

    @Test
    void aBurstOfCommitsIsSequencedInAFewBatchesOnlyWhenTheSequencerLingers() throws Exception {
        long eager = batchesFor(new Sequencer(store, tiles, db, tx, 4096, 200, 0));
        long lingering = batchesFor(new Sequencer(store, tiles, db, tx, 4096, 200, 150));
        assertThat(eager).as("batches without lingering, one commit every %d ms", APART_MILLIS).isGreaterThanOrEqualTo(COMMITS / 2);
        assertThat(lingering).as("batches lingering 150 ms, one commit every %d ms", APART_MILLIS).isLessThanOrEqualTo(6);
    }

    @Test
    void anEntryCommittedToAnIdleLedgerIsSequencedWithoutWaitingToLinger() throws Exception {
        Sequencer lingering = new Sequencer(store, tiles, db, tx, 4096, 200, 150);
        sequencer.stop();
        lingering.start();
        try {
            Thread.sleep(300);
            long before = store.state().size();
            long t0 = System.nanoTime();
            tx.executeWithoutResult(s -> store.queueAll(List.of(entry(-1))));
            lingering.wake();
            awaitSize(before + 1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("ms to sequence one entry").isLessThan(150);
        } finally {
            lingering.stop();
            sequencer.start();
        }
    }

    /** The transactions {@code other} takes to sequence {@link #COMMITS} commits of one entry, {@link #APART_MILLIS} apart. */
    private long batchesFor(Sequencer other) throws Exception {
        sequencer.stop();
        other.start();
        long before;
        try {
            Thread.sleep(300);
            before = store.state().size();
            for (int i = 0; i < COMMITS; i++) {
                int n = i;
                tx.executeWithoutResult(s -> store.queueAll(List.of(entry(n))));
                other.wake();
                Thread.sleep(APART_MILLIS);
            }
            awaitSize(before + COMMITS);
        } finally {
            other.stop();
            sequencer.start();
        }
        return db.sql("select count(distinct xmin::text) from ledger_entry where idx >= ? and idx < ?")
                .params(before, before + COMMITS).query(Long.class).single();
    }

    private void awaitSize(long size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.state().size() < size) {
            assertThat(System.nanoTime()).as("the ledger reaches %d entries", size).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static Pending entry(int n) {
        byte[] body = ("{\"n\":" + n + ",\"type\":\"BatchingProbe\"}").getBytes(StandardCharsets.UTF_8);
        return new Pending(body, body, null);
    }
}
