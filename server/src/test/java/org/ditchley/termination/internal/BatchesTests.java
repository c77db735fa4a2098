package org.ditchley.termination.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.ditchley.platform.UnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/** How the batch writer answers when the database aborts a batch's transaction. */
class BatchesTests {

    private static final TransactionTemplate TX = new TransactionTemplate(new PlatformTransactionManager() {
        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return new SimpleTransactionStatus();
        }

        @Override
        public void commit(TransactionStatus status) {
        }

        @Override
        public void rollback(TransactionStatus status) {
        }
    });

    private Batches<String, String> batches;

    private Batches<String, String> start(Batches.Decider<String> decider) {
        batches = new Batches<>("test requests", 8, TX, decider);
        batches.start();
        return batches;
    }

    /** What the submitter of {@code request} is answered: its result, or the exception refusing it. */
    private String decide(String request) {
        try {
            return batches.submit(request).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @AfterEach
    void stop() {
        batches.stop();
    }

    @Test
    void aBatchAbortedByADeadlockIsDecidedAgainAndAnswered() {
        AtomicInteger calls = new AtomicInteger();
        start(batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new PessimisticLockingFailureException("deadlock detected");
            }
            return batch.stream().<Object>map(r -> r + " decided").toList();
        });
        assertThat(decide("a")).isEqualTo("a decided");
        assertThat(calls).hasValue(2);
    }

    @Test
    void aBatchAbortedEveryTimeIsAnswered503NotAServerError() {
        AtomicInteger calls = new AtomicInteger();
        start(batch -> {
            calls.incrementAndGet();
            throw new PessimisticLockingFailureException("deadlock detected");
        });
        assertThatThrownBy(() -> decide("a")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("aborted the batch " + Batches.ATTEMPTS + " times").hasMessageNotContaining("deadlock detected");
        assertThat(calls).hasValue(Batches.ATTEMPTS);
    }

    @Test
    void aFailureThatWouldRecurIsNotTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        start(batch -> {
            calls.incrementAndGet();
            throw new DataIntegrityViolationException("null value in column");
        });
        assertThatThrownBy(() -> decide("a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("null value");
        assertThat(calls).hasValue(1);
        // the writer outlives the failure
        assertThatThrownBy(() -> decide("b")).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void eachRequestGetsItsOwnOutcome() {
        start(batch -> batch.stream().<Object>map(r -> r.equals("bad")
                ? new org.ditchley.platform.InvalidInputException("body", "is bad") : r.toUpperCase()).toList());
        assertThat(decide("ok")).isEqualTo("OK");
        assertThatThrownBy(() -> decide("bad")).hasMessageContaining("is bad");
        assertThat(List.of(decide("x"), decide("y"))).containsExactly("X", "Y");
    }

    @Test
    void aRequestTheWriterIsNotTakingIsAnswered503AtOnce() {
        start(batch -> batch.stream().<Object>map(r -> r).toList());
        batches.stop();
        assertThatThrownBy(() -> decide("late")).isInstanceOf(UnavailableException.class).hasMessageContaining("send it again");
    }
}
