package org.ditchley.ledger.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ditchley.tlog.Hash;
import org.ditchley.tlog.HashTile;
import org.ditchley.tlog.Rfc6962;
import org.ditchley.tlog.TileAppender;
import org.ditchley.tlog.TlogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives entries their indexes, in batches, one sequencer at a time (a PostgreSQL advisory lock
 * held for the batch's transaction). A batch takes the committed entries waiting in the queue
 * table, then entries appended directly, appends their leaf hashes to the tree's right edge,
 * and in one transaction writes the entries, the tiles they changed and the new size and root.
 * Only after that commits are indexes acknowledged; if it fails, queued entries stay queued,
 * direct appends fail (with {@link LedgerOutcomeUnknownException} when the commit itself failed,
 * since it may have taken effect), and the right edge is read again from storage.
 *
 * <p>A batch starts as soon as entries are committed, but while they keep coming the next one
 * waits {@code linger} first: when thousands of receipts arrive in a second, each committing a
 * few entries, batches of hundreds cost one transaction where batches of a dozen would cost one
 * each, every one rewriting the same partial tiles. An entry that arrives when the ledger is idle
 * is sequenced at once.
 *
 * <p>Every reload of the right edge checks it against the stored root, so a sequencer never
 * extends a tree it cannot reproduce.
 */
@Component
class Sequencer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    static final long LOCK = 0x4c45444745525351L;

    private record Direct(Pending entry, CompletableFuture<Long> indexed) {
    }

    private final LedgerStore store;
    private final TileCache tiles;
    private final JdbcClient db;
    private final TransactionTemplate tx;
    private final int batch;
    private final long pollMillis;
    private final long lingerMillis;
    private final BlockingQueue<Direct> direct;
    private final Object signal = new Object();
    private final Map<Long, CompletableFuture<Long>> awaiting = new java.util.HashMap<>();
    private final Map<Long, Long> recent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > 100_000;
        }
    };
    private boolean signalled;
    private volatile boolean running;
    private Thread thread;
    private TileAppender edge;

    Sequencer(LedgerStore store, TileCache tiles, JdbcClient db, TransactionTemplate tx,
            @Value("${ditchley.ledger.batch:4096}") int batch,
            @Value("${ditchley.ledger.queue-poll-ms:200}") long pollMillis,
            @Value("${ditchley.ledger.linger-ms:25}") long lingerMillis) {
        if (lingerMillis < 0 || lingerMillis >= pollMillis) {
            throw new IllegalArgumentException("ditchley.ledger.linger-ms must be from 0 to less than queue-poll-ms (" + pollMillis
                    + "), not " + lingerMillis);
        }
        this.store = store;
        this.tiles = tiles;
        this.db = db;
        this.tx = tx;
        this.batch = batch;
        this.pollMillis = pollMillis;
        this.lingerMillis = lingerMillis;
        this.direct = new ArrayBlockingQueue<>(batch * 8);
    }

    /** Appends outside any transaction; blocks while the sequencer is {@code 8 × batch} entries behind. */
    CompletableFuture<Long> append(Pending entry) {
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException("the ledger sequencer is not running"));
        }
        Direct d = new Direct(entry, new CompletableFuture<>());
        try {
            direct.put(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        if (!running && direct.remove(d)) {
            // stopped between the check and the put, after stop() drained the queue
            d.indexed().completeExceptionally(new IllegalStateException("the ledger is shutting down"));
        }
        wake();
        return d.indexed();
    }

    /** Asks for a batch now: entries were queued and committed. */
    void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    /**
     * The index that queued entry {@code seq} received, once this node's sequencer has committed
     * it; completes at once if that already happened.
     */
    CompletableFuture<Long> indexOf(long seq) {
        synchronized (recent) {
            Long index = recent.get(seq);
            if (index != null) {
                return CompletableFuture.completedFuture(index);
            }
            return awaiting.computeIfAbsent(seq, s -> new CompletableFuture<>());
        }
    }

    /** Stops waiting for the indexes of queued entries {@code seqs}. */
    void forget(List<Long> seqs) {
        synchronized (recent) {
            seqs.forEach(awaiting::remove);
        }
    }

    /** Starts before the web server takes requests and stops after it has finished them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "ledger-sequencer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Direct> left = new ArrayList<>();
        direct.drainTo(left);
        left.forEach(d -> d.indexed().completeExceptionally(new IllegalStateException("the ledger is shutting down")));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        boolean more = true;
        while (running || !direct.isEmpty()) {
            try {
                if (!more) {
                    synchronized (signal) {
                        if (!signalled && direct.isEmpty() && running) {
                            signal.wait(pollMillis);
                        }
                        signalled = false;
                    }
                }
                int sequenced = sequence();
                more = sequenced >= batch;
                if (sequenced > 0 && !more && lingerMillis > 0 && running) {
                    // entries are arriving: let the next batch gather
                    TimeUnit.MILLISECONDS.sleep(lingerMillis);
                    more = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                log.warn("ledger batch not sequenced, retrying: {}", e.toString());
                more = false;
                sleepQuietly();
            }
        }
    }

    private void sleepQuietly() {
        try {
            TimeUnit.MILLISECONDS.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Batch(long first, List<LedgerStore.Queued> queued, List<HashTile> tiles) {
    }

    /** Sequences one batch; returns how many entries it committed. */
    int sequence() {
        List<Direct> taken = new ArrayList<>();
        direct.drainTo(taken, batch);
        Batch done;
        boolean[] committing = {false};
        try {
            done = tx.execute(status -> {
                db.sql("select 1 from pg_advisory_xact_lock(?)").param(LOCK).query(Integer.class).single();
                LedgerStore.State state = store.lockState();
                TileAppender tree = edge(state);
                List<LedgerStore.Queued> queued = store.take(Math.max(0, batch - taken.size()));
                List<Pending> entries = new ArrayList<>(queued.size() + taken.size());
                queued.forEach(q -> entries.add(q.entry()));
                taken.forEach(d -> entries.add(d.entry()));
                versioned(entries);
                if (entries.isEmpty()) {
                    if (state.root() == null) {
                        store.saveState(state.size(), root(tree));
                    }
                    return new Batch(state.size(), List.of(), List.of());
                }
                try {
                    for (Pending p : entries) {
                        tree.append(Rfc6962.leafHash(p.body()));
                    }
                    List<HashTile> changed = tree.drain();
                    List<Long> seqs = new ArrayList<>(entries.size());
                    queued.forEach(q -> seqs.add(q.seq()));
                    taken.forEach(d -> seqs.add(null));
                    store.insertEntries(state.size(), entries, seqs);
                    store.saveTiles(changed);
                    store.saveState(tree.size(), tree.root());
                    committing[0] = true;
                    return new Batch(state.size(), queued, changed);
                } catch (TlogException e) {
                    throw new IllegalStateException("the ledger's right edge is inconsistent at size " + tree.size(), e);
                }
            });
        } catch (RuntimeException | Error e) {
            edge = null;
            Throwable failure = committing[0] ? new LedgerOutcomeUnknownException(e) : e;
            taken.forEach(d -> d.indexed().completeExceptionally(failure));
            throw e;
        }
        tiles.offer(done.tiles());
        long index = done.first();
        synchronized (recent) {
            for (LedgerStore.Queued q : done.queued()) {
                long at = index++;
                recent.put(q.seq(), at);
                CompletableFuture<Long> waiting = awaiting.remove(q.seq());
                if (waiting != null) {
                    waiting.complete(at);
                }
            }
        }
        for (Direct d : taken) {
            d.indexed().complete(index++);
        }
        return done.queued().size() + taken.size();
    }

    /** Gives each entry about a record its version: one more than the entries about that record before it. */
    private void versioned(List<Pending> entries) {
        Set<UUID> ids = new HashSet<>();
        entries.forEach(p -> {
            if (p.recordId() != null) {
                ids.add(p.recordId());
            }
        });
        Map<UUID, Long> versions = store.entriesAbout(ids);
        for (int i = 0; i < entries.size(); i++) {
            Pending p = entries.get(i);
            if (p.recordId() != null) {
                entries.set(i, p.version(versions.merge(p.recordId(), 1L, Long::sum)));
            }
        }
    }

    /** The right edge at {@code state}: the one in memory if it is still current, else read and checked against the stored root. */
    private TileAppender edge(LedgerStore.State state) {
        if (edge != null && edge.size() == state.size() && state.root() != null && state.root().equals(root(edge))) {
            return edge;
        }
        edge = null;
        TileAppender loaded;
        try {
            loaded = TileAppender.resume(state.size(), tiles);
        } catch (TlogException missing) {
            loaded = retile(state.size());
        }
        Hash root = root(loaded);
        if (state.root() != null && !state.root().equals(root)) {
            throw new IllegalStateException("the ledger's tiles give root " + root.base64() + " at size " + state.size()
                    + " but the stored root is " + state.root().base64());
        }
        edge = loaded;
        return loaded;
    }

    /** Rebuilds every tile from the stored entries, for a tree stored before it was tiled. */
    private TileAppender retile(long size) {
        log.info("re-tiling the ledger's {} entries", size);
        TileAppender tree = TileAppender.empty();
        try {
            for (long from = 0; from < size; from += 10_000) {
                for (byte[] body : store.entries(from, Math.min(size, from + 10_000))) {
                    tree.append(Rfc6962.leafHash(body));
                }
                store.saveTiles(tree.drain());
            }
        } catch (TlogException e) {
            throw new IllegalStateException(e);
        }
        if (tree.size() != size) {
            throw new IllegalStateException("the ledger has " + tree.size() + " stored entries, not " + size);
        }
        return tree;
    }

    private static Hash root(TileAppender tree) {
        try {
            return tree.root();
        } catch (TlogException e) {
            throw new IllegalStateException(e);
        }
    }
}
