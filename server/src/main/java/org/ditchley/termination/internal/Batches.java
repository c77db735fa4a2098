package org.ditchley.termination.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.DitchleyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Requests decided in batches by one writer thread. Callers {@link #submit} and wait; the writer
 * takes everything that arrived meanwhile (up to {@code size}), decides it in one transaction,
 * and answers each caller, once that transaction has committed, with its result or the problem
 * that refused it. Agents send thousands of requests a second when an order takes effect: one
 * transaction per batch instead of one per request is what keeps up with them.
 *
 * @param <P> a request
 * @param <R> what a request is answered with
 */
final class Batches<P, R> {

    /** Decides a batch: for each request, in order, its result or the {@link DitchleyException} refusing it. */
    interface Decider<P> {
        List<Object> decide(List<P> batch);
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    private record Item<P, R>(P request, CompletableFuture<R> done) {
    }

    private final String name;
    private final int size;
    private final TransactionTemplate tx;
    private final Decider<P> decider;
    private final Function<P, Object> key;
    private final BlockingQueue<Item<P, R>> queue = new LinkedBlockingQueue<>(100_000);
    private volatile boolean running;
    private Thread writer;

    /** {@code key}: at most one request per key in a batch (the others wait for the next); null for no such limit. */
    Batches(String name, int size, TransactionTemplate tx, Decider<P> decider, Function<P, Object> key) {
        this.name = name;
        this.size = size;
        this.tx = tx;
        this.decider = decider;
        this.key = key;
    }

    /** Queues {@code request} and waits for its batch; a refusal is thrown as the problem the decider gave. */
    R submit(P request) {
        Item<P, R> item = new Item<>(request, new CompletableFuture<>());
        if (!running || !queue.offer(item)) {
            throw new ConflictException("busy", "the node is not taking " + name + " right now; send it again");
        }
        try {
            return item.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DitchleyException refused) {
                throw refused;
            }
            throw new IllegalStateException(name + " not recorded: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " not recorded within " + WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
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
        left.forEach(i -> i.done().completeExceptionally(new ConflictException("busy", "the node is shutting down; send it again")));
    }

    boolean running() {
        return running;
    }

    @SuppressWarnings("unchecked")
    private void run() {
        Deque<Item<P, R>> carried = new ArrayDeque<>();
        while (running) {
            List<Item<P, R>> taken = new ArrayList<>(carried);
            carried.clear();
            try {
                if (taken.isEmpty()) {
                    taken.add(queue.take());
                }
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, Math.max(0, size - taken.size()));
            List<Item<P, R>> batch = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            for (Item<P, R> i : taken) {
                (key == null || seen.add(key.apply(i.request())) ? batch : carried).add(i);
            }
            try {
                List<Object> outcome = tx.execute(status -> decider.decide(batch.stream().map(Item::request).toList()));
                for (int n = 0; n < batch.size(); n++) {
                    Object o = outcome.get(n);
                    if (o instanceof Throwable refused) {
                        batch.get(n).done().completeExceptionally(refused);
                    } else {
                        batch.get(n).done().complete((R) o);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("{} not recorded: {}", name, e.toString());
                batch.forEach(i -> i.done().completeExceptionally(e));
            }
        }
    }
}
