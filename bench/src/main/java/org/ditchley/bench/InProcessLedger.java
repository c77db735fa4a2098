package org.ditchley.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ditchley.DitchleyApplication;
import org.ditchley.ledger.Ledger;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger's own append and proof paths, driven inside a node's JVM: the node is started from
 * its own jar (Spring Boot's PropertiesLauncher puts this class beside it), appends go through
 * {@link Ledger#append} into the embedded PostgreSQL, receipts through {@link Ledger#receipt}.
 * The baseline, in the same run and database, is the rate at which one connection inserts the
 * same entries into a plain indexed table in batches as large as the sequencer's, with no tree.
 *
 * <p>Arguments: data directory, seconds of appends, seconds of proofs.
 */
public final class InProcessLedger {

    static final int PRODUCERS = 4;
    static final int IN_FLIGHT = 32_768;

    private InProcessLedger() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Duration appendFor = Duration.ofSeconds(Long.parseLong(args[1]));
        Duration proveFor = Duration.ofSeconds(Long.parseLong(args[2]));
        ConfigurableApplicationContext node = SpringApplication.run(DitchleyApplication.class,
                "--server.port=0", "--ditchley.db.data-dir=" + dataDir.toAbsolutePath(), "--logging.level.root=WARN");
        try {
            Ledger ledger = node.getBean(Ledger.class);
            JdbcClient db = node.getBean(JdbcClient.class);
            int entryBytes = sampleEntryBytes(ledger, db);
            double baseline = baseline(db, appendFor);
            System.out.printf(Locale.ROOT, "baseline: plain batched inserts of the same %d-byte entries, one connection: %,.0f rows/s%n",
                    entryBytes, baseline);
            appends(ledger, db, Duration.ofSeconds(3));
            Result appended = appends(ledger, db, appendFor);
            System.out.printf(Locale.ROOT, "ledger appends: %,d in %.1f s = %,.0f entries/s (%.2f × baseline)%n",
                    appended.count, appendFor.toNanos() / 1e9, appended.rate, appended.rate / baseline);
            System.out.printf(Locale.ROOT, "checkpoint covering an acknowledged entry: p50 %d ms, p99 %d ms, max %d ms (%d samples)%n",
                    appended.p(0.50), appended.p(0.99), appended.p(1.0), appended.delays.size());
            long size = db.sql("select max(size) from ledger_checkpoint").query(Long.class).single();
            receipts(ledger, size, Duration.ofSeconds(3));
            double proofs = receipts(ledger, size, proveFor);
            System.out.printf(Locale.ROOT, "receipts (inclusion proof + checkpoint) from the tiles: %,.0f/s over a tree of %,d%n", proofs, size);
        } finally {
            node.close();
        }
    }

    static BenchFiling filing() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new BenchFiling(new UUID(r.nextLong(), r.nextLong()), new UUID(r.nextLong(), r.nextLong()),
                new UUID(r.nextLong(), r.nextLong()), Instant.now(), Long.toHexString(r.nextLong()));
    }

    private static int sampleEntryBytes(Ledger ledger, JdbcClient db) {
        long index = ledger.append(filing()).join();
        return db.sql("select length(body) from ledger_entry where idx = ?").param(index).query(Integer.class).single();
    }

    /** Rows per second that one connection inserts, 4,096 per transaction, for {@code window}. */
    private static double baseline(JdbcClient db, Duration window) {
        db.sql("create table if not exists bench_baseline (idx bigint primary key, body bytea not null)").update();
        byte[][] bodies = new byte[4096][];
        Long[] idx = new Long[4096];
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + window.toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < bodies.length; i++) {
                bodies[i] = ("{\"by\":\"" + UUID.randomUUID() + "\",\"id\":\"" + UUID.randomUUID() + "\",\"organisation\":\""
                        + UUID.randomUUID() + "\",\"sha256\":\"" + "0".repeat(64) + "\",\"time\":\"" + Instant.now()
                        + "\",\"type\":\"BenchFiling\",\"version\":1}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                idx[i] = n + i;
            }
            db.sql("insert into bench_baseline select * from unnest(?::bigint[], ?::bytea[])").params(idx, bodies).update();
            n += bodies.length;
        }
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        db.sql("drop table bench_baseline").update();
        return rate;
    }

    record Result(long count, double rate, List<Long> delays) {
        long p(double q) {
            if (delays.isEmpty()) {
                return -1;
            }
            List<Long> sorted = delays.stream().sorted().toList();
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
        }
    }

    /**
     * Appends from {@value #PRODUCERS} threads keeping up to {@value #IN_FLIGHT} entries in flight
     * for {@code window}; every 50 ms notes the highest index acknowledged, and measures how long
     * until a signed checkpoint covers it.
     */
    private static Result appends(Ledger ledger, JdbcClient db, Duration window) throws Exception {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong highest = new AtomicLong(-1);
        long end = System.nanoTime() + window.toNanos();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    inFlight.acquireUninterruptibly();
                    ledger.append(filing()).whenComplete((index, failure) -> {
                        inFlight.release();
                        if (failure == null) {
                            acknowledged.incrementAndGet();
                            highest.accumulateAndGet(index, Math::max);
                        }
                    });
                }
            });
            t.start();
            producers.add(t);
        }
        ConcurrentSkipListMap<Long, Long> pending = new ConcurrentSkipListMap<>();
        List<Long> delays = new ArrayList<>();
        long t0 = System.nanoTime();
        long start = acknowledged.get();
        long atEnd = -1;
        long nextSample = t0;
        while (System.nanoTime() < end || !pending.isEmpty()) {
            long now = System.nanoTime();
            if (now >= end && atEnd < 0) {
                atEnd = acknowledged.get();
            }
            if (now < end && now >= nextSample) {
                long h = highest.get();
                if (h >= 0) {
                    pending.putIfAbsent(h, now);
                }
                nextSample += 50_000_000L;
            }
            long size = db.sql("select coalesce(max(size), 0) from ledger_checkpoint").query(Long.class).single();
            long seen = System.nanoTime();
            while (!pending.isEmpty() && pending.firstKey() < size) {
                delays.add((seen - pending.pollFirstEntry().getValue()) / 1_000_000);
            }
            if (seen - end > 10_000_000_000L) {
                throw new IllegalStateException("no checkpoint covered index " + pending.firstKey() + " within 10 s");
            }
            Thread.sleep(10);
        }
        long count = (atEnd < 0 ? acknowledged.get() : atEnd) - start;
        for (Thread t : producers) {
            t.join();
        }
        inFlight.acquireUninterruptibly(IN_FLIGHT);
        return new Result(count, count / (window.toNanos() / 1e9), delays);
    }

    /** Receipts per second from two threads (the machine's cores) over random entries of the tree of {@code size}. */
    private static double receipts(Ledger ledger, long size, Duration window) throws Exception {
        AtomicLong served = new AtomicLong();
        long end = System.nanoTime() + window.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < Runtime.getRuntime().availableProcessors(); p++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (ledger.receipt(ThreadLocalRandom.current().nextLong(size)).length == 0) {
                        throw new IllegalStateException("empty receipt");
                    }
                    served.incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return served.get() / (window.toNanos() / 1e9);
    }
}
