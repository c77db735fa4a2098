package org.ditchley.termination.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.UnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Requests decided in batches by one writer thread. Callers {@link #submit} a request and get a
 * future; the writer takes everything that arrived meanwhile (up to {@code size}), decides it in
 * one transaction, and completes each future, once that transaction has committed, with its
 * result or the problem that refused it. Agents send thousands of requests a second when an order takes effect: one
 * transaction per batch instead of one per request is what keeps up with them.
 *
 * <p>Callers authenticate their requests before submitting them: the writer's time goes to
 * requests that may be granted, and nobody can fill a batch by naming someone else's deployment.
 * A request not decided within {@link #WAIT}, or refused because the queue is full or the node is
 * stopping, is answered 503 (send it again); its batch may still commit later, which every
 * decider here tolerates (a license nobody receives, a receipt already recorded).
 *
 * @param <P> a request
 * @param <R> what a request is answered with
 */
final class Batches<P, R> {

    /** Decides a batch: for each request, in order, its result or the {@link DitchleyException} refusing it. */
    interface Decider<P> {
        List<Object> decide(List<P> batch);
    }

    /** Shorter than the agent's 10-second request timeout, so the agent hears the 503 rather than timing out. */
    static final Duration WAIT = Duration.ofSeconds(8);
    static final Duration RETRY = Duration.ofSeconds(2);
    static final int ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    private record Item<P, R>(P request, CompletableFuture<R> done) {
    }

    private final String name;
    private final int size;
    private final TransactionTemplate tx;
    private final Decider<P> decider;
    private final BlockingQueue<Item<P, R>> queue = new LinkedBlockingQueue<>(10_000);
    private volatile boolean running;
    private Thread writer;

    Batches(String name, int size, TransactionTemplate tx, Decider<P> decider) {
        this.name = name;
        this.size = size;
        this.tx = tx;
        this.decider = decider;
    }

    /**
     * Queues {@code request}; the future completes, on the writer's thread, with its result once
     * its batch has committed, or fails with the {@link DitchleyException} that refused it. A
     * request not queued (the queue is full, the node is stopping) or not decided within
     * {@link #WAIT} fails with {@link UnavailableException}; any other failure with
     * {@link IllegalStateException}. Nothing waits on a thread meanwhile.
     */
    CompletableFuture<R> submit(P request) {
        CompletableFuture<R> done = new CompletableFuture<>();
        if (!running || !queue.offer(new Item<>(request, done))) {
            return CompletableFuture.failedFuture(
                    new UnavailableException("the node is not taking " + name + " right now; send it again", RETRY));
        }
        return done.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> CompletableFuture.failedFuture(answer(e)));
    }

    private RuntimeException answer(Throwable failure) {
        Throwable e = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (e instanceof DitchleyException refused) {
            return refused;
        }
        if (e instanceof TimeoutException) {
            return new UnavailableException(name + " not decided within " + WAIT.toSeconds() + " s; send it again", RETRY);
        }
        return new IllegalStateException(name + " not recorded: " + e, e);
    }

    void start() {
        running = true;
        writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    void stop() {
        running = false;
        if (writer != null) {
            writer.interrupt();
        }
        List<Item<P, R>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(i -> i.done().completeExceptionally(new UnavailableException("the node is shutting down; send it again", RETRY)));
    }

    boolean running() {
        return running;
    }

    /**
     * Decides {@code batch} in one transaction, tried again up to {@value #ATTEMPTS} times in all
     * when the database aborts it for a reason that passes (a deadlock, a serialization failure).
     */
    private List<Object> decide(List<Item<P, R>> batch) {
        List<P> requests = batch.stream().map(Item::request).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> decider.decide(requests));
            } catch (TransientDataAccessException e) {
                log.info("{} batch aborted by the database (attempt {} of {}): {}", name, attempt, ATTEMPTS,
                        e.getMostSpecificCause().getMessage());
                if (attempt == ATTEMPTS) {
                    throw new UnavailableException(name + " not recorded: the database aborted the batch " + ATTEMPTS
                            + " times; send it again", RETRY);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void run() {
        while (running) {
            List<Item<P, R>> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, size - 1);
            try {
                List<Object> outcome = decide(batch);
                for (int n = 0; n < batch.size(); n++) {
                    Object o = outcome.get(n);
                    if (o instanceof Throwable refused) {
                        batch.get(n).done().completeExceptionally(refused);
                    } else {
                        batch.get(n).done().complete((R) o);
                    }
                }
            } catch (Throwable e) {
                // the writer outlives any batch: a failure is that batch's answer, never the end of the thread
                log.warn("{} not recorded: {}", name, e.toString());
                batch.forEach(i -> i.done().completeExceptionally(e));
            }
        }
    }
}
