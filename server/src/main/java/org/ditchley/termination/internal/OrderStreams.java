package org.ditchley.termination.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.StopOrder;
import org.ditchley.registry.Deployments;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The agents' open streams of stop orders (server-sent events), and the push. An agent that
 * connects is sent every order in effect that covers it, so an order issued while it was away
 * still reaches it. Whenever the stop-list version moves (on this node after a commit, or on
 * another node sharing the database, seen within {@value #POLL_MS} ms), the orders that changed
 * are sent to every connected agent they cover ({@code order}), and lifted ones to every agent
 * ({@code lifted}). Event data is the signed note, base64-encoded; each event is encoded once
 * and the same bytes written to every stream it goes to ({@link OrderStream}).
 */
@Component
class OrderStreams implements SmartLifecycle {

    static final long POLL_MS = 500;
    static final long HEARTBEAT_MS = 15_000;
    static final Duration STREAM = Duration.ofMinutes(30);
    static final int PUSHERS = 4;

    private static final Logger log = LoggerFactory.getLogger(OrderStreams.class);

    private static final byte[] OPEN = OrderStream.comment("open");
    private static final byte[] HEARTBEAT = OrderStream.comment("heartbeat");

    private record Listener(UUID deployment, String artifact, OrderStream stream) {
    }

    /**
     * An order as stored, parsed once. It is sent to the streams of the copies its signed text
     * names, by deployment or by artifact: an agent acts on no other order, and the text names
     * every copy in scope (the order is signed again whenever its scope grows).
     */
    private record Changed(UUID id, String status, byte[] note, byte[] liftNote, StopOrder order) {

        boolean covers(Listener l) {
            return order.covers(l.deployment(), l.artifact());
        }

        /** The event announcing this order's state: {@code order} while in effect, {@code lifted} once lifted. */
        byte[] frame() {
            return status.equals("LIFTED") ? OrderStream.event("lifted", Base64.getEncoder().encodeToString(liftNote))
                    : OrderStream.event("order", Base64.getEncoder().encodeToString(note));
        }
    }

    private final JdbcClient db;
    private final Map<UUID, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private volatile boolean running;
    private boolean signalled;
    private long pushed = -1;
    private Thread thread;
    private ExecutorService pushers;

    OrderStreams(JdbcClient db) {
        this.db = db;
    }

    /**
     * Opens a stream for {@code copy} on {@code response} (its status and content type set,
     * {@code callback} the handler's), sending it at once every order in effect that covers it,
     * then the comment {@code open}. An order may reach it twice (on opening and by the push);
     * agents act on an order once. The stream lasts {@link #STREAM}, or until its connection fails.
     * If the stream cannot be opened before anything is written to it (the database fails), this
     * throws and the caller answers the request; once written, the stream is ended instead.
     */
    void open(Deployments.Copy copy, Request request, Response response, Callback callback) {
        OrderStream stream = new OrderStream(request, response, callback, STREAM, s -> remove(copy.id(), s));
        Listener l = new Listener(copy.id(), copy.manifestDigest(), stream);
        try {
            // listening before reading what is in effect: an order committed in between is pushed, never missed
            listeners.compute(copy.id(), (k, set) -> {
                Set<Listener> s = set == null ? ConcurrentHashMap.newKeySet() : set;
                s.add(l);
                return s;
            });
            List<UUID> sent = new ArrayList<>();
            for (Changed c : read("status = 'IN_EFFECT'")) {
                if (c.covers(l) && send(l, c.frame())) {
                    sent.add(c.id());
                }
            }
            if (!sent.isEmpty()) {
                markPushed(sent.toArray(UUID[]::new), new UUID[] {copy.id()});
            }
            send(l, OPEN);
        } catch (RuntimeException e) {
            remove(copy.id(), stream);
            if (stream.abandon(e)) {
                throw e;
            }
            log.warn("order stream of deployment {} ended as it opened: {}", copy.id(), e.toString());
        }
    }

    /** Asks for a push now: the stop list changed on this node. */
    void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    @Override
    public void start() {
        running = true;
        pushers = Executors.newFixedThreadPool(PUSHERS, r -> {
            Thread t = new Thread(r, "stop-order-pusher");
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "stop-order-push");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pushers.shutdownNow();
        List<Listener> all = new ArrayList<>();
        listeners.values().forEach(all::addAll);
        all.forEach(l -> l.stream().end());
        listeners.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        long heartbeat = System.currentTimeMillis();
        while (running) {
            try {
                synchronized (signal) {
                    if (!signalled) {
                        signal.wait(POLL_MS);
                    }
                    signalled = false;
                }
                if (!running) {
                    return;
                }
                push();
                if (System.currentTimeMillis() - heartbeat > HEARTBEAT_MS) {
                    heartbeat = System.currentTimeMillis();
                    toEach(l -> send(l, HEARTBEAT));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("stop-order push failed, retrying: {}", e.toString());
            }
        }
    }

    private void push() throws InterruptedException {
        long version = db.sql("select stop_version from termination_state where id = 1").query(Long.class).single();
        if (pushed < 0) {
            pushed = version;
            return;
        }
        if (version == pushed) {
            return;
        }
        for (Changed c : read("changed_version > " + pushed + " and changed_version <= " + version)) {
            long start = System.nanoTime();
            Set<UUID> reached = ConcurrentHashMap.newKeySet();
            byte[] frame = c.frame();
            if (c.status().equals("LIFTED")) {
                toEach(l -> {
                    if (send(l, frame)) {
                        reached.add(l.deployment());
                    }
                });
            } else if (c.status().equals("IN_EFFECT")) {
                toEach(l -> {
                    if (c.covers(l) && send(l, frame)) {
                        reached.add(l.deployment());
                    }
                });
            }
            if (c.status().equals("IN_EFFECT") && !reached.isEmpty()) {
                markPushed(new UUID[] {c.id()}, reached.toArray(UUID[]::new));
            }
            log.info("stop order {} {} written to the streams of {} deployments in {} ms", c.id(), c.status().equals("LIFTED") ? "lift" : "order",
                    reached.size(), (System.nanoTime() - start) / 1_000_000);
        }
        pushed = version;
    }

    /**
     * Runs {@code action} on every open stream, split among {@value #PUSHERS} writers so one slow
     * or dead connection does not hold up the rest; returns when all are done.
     */
    private void toEach(Consumer<Listener> action) throws InterruptedException {
        List<Listener> all = new ArrayList<>();
        listeners.values().forEach(all::addAll);
        int slice = Math.max(1, (all.size() + PUSHERS - 1) / PUSHERS);
        List<Future<?>> parts = new ArrayList<>();
        for (int from = 0; from < all.size(); from += slice) {
            List<Listener> part = all.subList(from, Math.min(all.size(), from + slice));
            parts.add(pushers.submit(() -> part.forEach(action)));
        }
        for (Future<?> part : parts) {
            try {
                part.get();
            } catch (ExecutionException e) {
                log.warn("writing to agents' streams failed in part: {}", e.getCause().toString());
            }
        }
    }

    /** The stored orders matching {@code where} (built here from numbers and constants only), each parsed once. */
    private List<Changed> read(String where) {
        return db.sql("select o.id, o.status, o.note, o.lift_note from stop_order o where o.note is not null and " + where)
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    byte[] note = rs.getBytes(3);
                    StopOrder order;
                    try {
                        order = StopOrder.parse(AgentKeys.textOf(note));
                    } catch (ProtocolException e) {
                        throw new IllegalStateException("stored order " + id + " does not parse", e);
                    }
                    return new Changed(id, rs.getString(2), note, rs.getBytes(4), order);
                }).list();
    }

    /**
     * Records that {@code orders} reached {@code deployments}, for the copies among those pairs
     * not recorded yet. Only inserts into {@code stop_order_push}: the copies' own rows, which halt
     * receipts update, are read and never locked here (nor by a foreign key: a push names a copy
     * this statement has just read, and copies are never deleted).
     */
    private void markPushed(UUID[] orders, UUID[] deployments) {
        db.sql("""
                insert into stop_order_push (order_id, deployment_id)
                select c.order_id, c.deployment_id from stop_order_copy c
                 where c.order_id = any(?) and c.deployment_id = any(?)
                on conflict do nothing""")
                .params(orders, deployments).update();
    }

    /** Writes {@code frame} to {@code l}'s stream; false if it could not (the stream has then ended and is removed). */
    private boolean send(Listener l, byte[] frame) {
        if (l.stream().send(frame)) {
            return true;
        }
        remove(l.deployment(), l.stream());
        return false;
    }

    private void remove(UUID deployment, OrderStream stream) {
        listeners.computeIfPresent(deployment, (k, set) -> {
            set.removeIf(l -> l.stream() == stream);
            return set.isEmpty() ? null : set;
        });
    }
}
