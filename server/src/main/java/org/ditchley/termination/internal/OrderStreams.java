package org.ditchley.termination.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.StopOrder;
import org.ditchley.registry.Deployments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The agents' open streams of stop orders (server-sent events), and the push. An agent that
 * connects is sent every order in effect that covers it, so an order issued while it was away
 * still reaches it. Whenever the stop-list version moves (on this node after a commit, or on
 * another node sharing the database, seen within {@value #POLL_MS} ms), the orders that changed
 * are sent to every connected agent they cover ({@code order}), and lifted ones to every agent
 * ({@code lifted}). Event data is the signed note, base64-encoded.
 */
@Component
class OrderStreams implements SmartLifecycle {

    static final long POLL_MS = 500;
    static final long HEARTBEAT_MS = 15_000;
    static final long STREAM_MS = 30 * 60_000;
    static final int PUSHERS = 4;

    private static final Logger log = LoggerFactory.getLogger(OrderStreams.class);

    private record Listener(UUID deployment, String artifact, SseEmitter emitter) {
    }

    private record Changed(UUID id, String status, byte[] note, byte[] liftNote) {
    }

    private final JdbcClient db;
    private final java.util.concurrent.ExecutorService pushers = java.util.concurrent.Executors.newFixedThreadPool(PUSHERS, r -> {
        Thread t = new Thread(r, "stop-order-pusher");
        t.setDaemon(true);
        return t;
    });
    private final Map<UUID, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private volatile boolean running;
    private boolean signalled;
    private long pushed = -1;
    private Thread thread;

    OrderStreams(JdbcClient db) {
        this.db = db;
    }

    /**
     * Opens a stream for {@code copy}, sending it at once every order in effect that covers it.
     * An order may reach it twice (on opening and by the push); agents act on an order once.
     */
    SseEmitter open(Deployments.Copy copy) {
        SseEmitter emitter = new SseEmitter(STREAM_MS);
        Listener l = new Listener(copy.id(), copy.manifestDigest(), emitter);
        Runnable remove = () -> {
            Set<Listener> set = listeners.get(copy.id());
            if (set != null) {
                set.remove(l);
            }
        };
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        // listening before reading what is in effect: an order committed in between is pushed, never missed
        listeners.computeIfAbsent(copy.id(), k -> ConcurrentHashMap.newKeySet()).add(l);
        List<UUID> sent = new ArrayList<>();
        for (Changed c : inEffect()) {
            if (covers(c, l, null)) {
                send(l, "order", Base64.getEncoder().encodeToString(c.note()));
                sent.add(c.id());
            }
        }
        markPushed(copy.id(), sent);
        try {
            emitter.send(SseEmitter.event().comment("open"));
        } catch (IOException e) {
            remove.run();
        }
        return emitter;
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
        thread = new Thread(this::run, "stop-order-push");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wake();
        listeners.values().forEach(set -> set.forEach(l -> l.emitter().complete()));
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
                push();
                if (System.currentTimeMillis() - heartbeat > HEARTBEAT_MS) {
                    heartbeat = System.currentTimeMillis();
                    listeners.values().forEach(set -> set.forEach(l -> comment(l, "heartbeat")));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("stop-order push failed, retrying: {}", e.toString());
            }
        }
    }

    private void push() {
        long version = db.sql("select stop_version from termination_state where id = 1").query(Long.class).single();
        if (pushed < 0) {
            pushed = version;
            return;
        }
        if (version == pushed) {
            return;
        }
        List<Changed> changed = db.sql("select id, status, note, lift_note from stop_order where changed_version > ? and changed_version <= ?")
                .params(pushed, version).query((rs, n) -> new Changed(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3), rs.getBytes(4)))
                .list();
        for (Changed c : changed) {
            Set<UUID> copies = Set.copyOf(db.sql("select deployment_id from stop_order_copy where order_id = ?").param(c.id())
                    .query(UUID.class).list());
            List<Listener> all = new ArrayList<>();
            listeners.values().forEach(all::addAll);
            Set<UUID> reached = ConcurrentHashMap.newKeySet();
            String data = Base64.getEncoder().encodeToString(c.status().equals("LIFTED") ? c.liftNote() : c.note());
            // several writers: one slow or dead connection must not hold up the rest
            List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
            int slice = Math.max(1, (all.size() + PUSHERS - 1) / PUSHERS);
            for (int from = 0; from < all.size(); from += slice) {
                List<Listener> part = all.subList(from, Math.min(all.size(), from + slice));
                parts.add(pushers.submit(() -> {
                    for (Listener l : part) {
                        if (c.status().equals("LIFTED")) {
                            send(l, "lifted", data);
                        } else if (c.status().equals("IN_EFFECT") && (copies.contains(l.deployment()) || covers(c, l, Set.of()))
                                && send(l, "order", data)) {
                            reached.add(l.deployment());
                        }
                    }
                }));
            }
            for (var part : parts) {
                try {
                    part.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    log.warn("pushing order {} failed in part: {}", c.id(), e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!reached.isEmpty()) {
                db.sql("update stop_order_copy set pushed_at = coalesce(pushed_at, now()) where order_id = ? and deployment_id = any(?)")
                        .params(c.id(), reached.toArray(UUID[]::new)).update();
            }
        }
        pushed = version;
    }

    private List<Changed> inEffect() {
        return db.sql("select id, status, note, lift_note from stop_order where status = 'IN_EFFECT'")
                .query((rs, n) -> new Changed(rs.getObject(1, UUID.class), rs.getString(2), rs.getBytes(3), rs.getBytes(4))).list();
    }

    /** Whether order {@code c} covers {@code l}: by its signed text, or by its copies (read from the database when {@code copies} is null). */
    private boolean covers(Changed c, Listener l, Set<UUID> copies) {
        try {
            StopOrder order = StopOrder.parse(AgentKeys.textOf(c.note()));
            if (order.covers(l.deployment(), l.artifact())) {
                return true;
            }
        } catch (ProtocolException e) {
            throw new IllegalStateException("stored order " + c.id() + " does not parse", e);
        }
        if (copies != null) {
            return copies.contains(l.deployment());
        }
        return db.sql("select exists (select 1 from stop_order_copy where order_id = ? and deployment_id = ?)")
                .params(c.id(), l.deployment()).query(Boolean.class).single();
    }

    private void markPushed(UUID deployment, List<UUID> orders) {
        if (!orders.isEmpty()) {
            db.sql("update stop_order_copy set pushed_at = coalesce(pushed_at, now()) where deployment_id = ? and order_id = any(?)")
                    .params(deployment, orders.toArray(UUID[]::new)).update();
        }
    }

    private boolean send(Listener l, String event, String data) {
        try {
            l.emitter().send(SseEmitter.event().name(event).data(data));
            return true;
        } catch (IOException | IllegalStateException e) {
            drop(l);
            return false;
        }
    }

    private void comment(Listener l, String text) {
        try {
            l.emitter().send(SseEmitter.event().comment(text));
        } catch (IOException | IllegalStateException e) {
            drop(l);
        }
    }

    private void drop(Listener l) {
        Set<Listener> set = listeners.get(l.deployment());
        if (set != null) {
            set.remove(l);
        }
        try {
            l.emitter().complete();
        } catch (RuntimeException ignored) {
            // the container has completed it already
        }
    }
}
