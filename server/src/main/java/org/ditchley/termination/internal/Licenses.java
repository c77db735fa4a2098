package org.ditchley.termination.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ditchley.agent.License;
import org.ditchley.agent.LicenseRequest;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.Signed;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.Deployments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues operating licenses. A license goes only to a deployment that is registered and ACTIVE,
 * whose agent is enrolled and signed the request within {@link AgentKeys#WINDOW} of the node's
 * clock, whose request nonce is new, which serves an artifact with a manifest digest, and which
 * no order in effect covers (by the deployment, its artifact, or its model being the stopped
 * model or a derivative of it). Its lifetime follows the model's risk tier:
 * {@code frontier-lifetime} for models crossing a frontier threshold, else {@code lifetime}.
 *
 * <p>Agents renew thousands of times a second, so requests are decided in batches: one writer
 * reads the deployments of every request that arrived meanwhile, checks each, records the new
 * nonces and sequence numbers in one transaction, and answers each caller once it has committed;
 * the caller's thread signs its license. A deployment's second request in a batch waits for the
 * next, so that its sequence numbers stay in order.
 */
@Service
class Licenses implements SmartLifecycle {

    static final int BATCH = 512;
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(Licenses.class);

    private record Pending(byte[] note, LicenseRequest claimed, CompletableFuture<License> done) {
    }

    private record Accepted(Pending pending, Deployments.Copy copy, LicenseRequest request, Instant notAfter) {
    }

    private final JdbcClient db;
    private final Deployments deployments;
    private final AgentKeys keys;
    private final StopList stops;
    private final TerminationKey key;
    private final TransactionTemplate tx;
    private final Duration frontierLifetime;
    private final Duration lifetime;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(50_000);
    private volatile boolean running;
    private Thread writer;
    private long nonceSweep = System.nanoTime();

    Licenses(JdbcClient db, Deployments deployments, AgentKeys keys, StopList stops, TerminationKey key, TransactionTemplate tx,
             @Value("${ditchley.termination.frontier-lifetime:PT5M}") Duration frontierLifetime,
             @Value("${ditchley.termination.lifetime:PT1H}") Duration lifetime) {
        this.db = db;
        this.deployments = deployments;
        this.keys = keys;
        this.stops = stops;
        this.key = key;
        this.tx = tx;
        this.frontierLifetime = frontierLifetime;
        this.lifetime = lifetime;
    }

    /** The signed license answering the signed request {@code note}. */
    public byte[] issue(byte[] note) {
        LicenseRequest claimed;
        try {
            claimed = LicenseRequest.parse(AgentKeys.unverifiedText(note));
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
        Pending p = new Pending(note, claimed, new CompletableFuture<>());
        if (!running || !queue.offer(p)) {
            throw new ConflictException("busy", "the node is not issuing licenses right now; ask again");
        }
        License license;
        try {
            license = p.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DitchleyException refused) {
                throw refused;
            }
            throw new IllegalStateException("license not issued: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("license not issued within " + WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while issuing a license", e);
        }
        return Signed.sign(license.text(), key.signer());
    }

    @Override
    public void start() {
        running = true;
        writer = new Thread(this::run, "licenses");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            writer.interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.done().completeExceptionally(new ConflictException("busy", "the node is shutting down; ask again")));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Deque<Pending> carried = new ArrayDeque<>();
        while (running) {
            List<Pending> taken = new ArrayList<>(carried);
            carried.clear();
            try {
                if (taken.isEmpty()) {
                    taken.add(queue.take());
                }
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, BATCH - taken.size());
            List<Pending> batch = new ArrayList<>();
            Set<UUID> seen = new HashSet<>();
            for (Pending p : taken) {
                (seen.add(p.claimed().deployment()) ? batch : carried).add(p);
            }
            try {
                Map<Pending, Object> outcome = tx.execute(status -> decide(batch));
                outcome.forEach((p, o) -> {
                    if (o instanceof License l) {
                        p.done().complete(l);
                    } else {
                        p.done().completeExceptionally((Throwable) o);
                    }
                });
            } catch (RuntimeException e) {
                log.warn("licenses not issued: {}", e.toString());
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            sweepNonces();
        }
    }

    /** Decides one batch of requests, each for a different deployment: a license, or why not. */
    private Map<Pending, Object> decide(List<Pending> batch) {
        Map<Pending, Object> outcome = new HashMap<>();
        Map<UUID, Deployments.Copy> copies = new HashMap<>();
        deployments.byIds(batch.stream().map(p -> p.claimed().deployment()).toList()).forEach(c -> copies.put(c.id(), c));
        long version = stops.version();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Accepted> accepted = new ArrayList<>();
        for (Pending p : batch) {
            try {
                accepted.add(check(p, copies.get(p.claimed().deployment()), version, now));
            } catch (DitchleyException e) {
                outcome.put(p, e);
            }
        }
        if (accepted.isEmpty()) {
            return outcome;
        }
        accepted.sort(Comparator.comparing(a -> a.copy().id()));
        int n = accepted.size();
        UUID[] ids = new UUID[n];
        String[] nonces = new String[n];
        java.sql.Timestamp[] notAfter = new java.sql.Timestamp[n];
        for (int i = 0; i < n; i++) {
            ids[i] = accepted.get(i).copy().id();
            nonces[i] = accepted.get(i).request().nonce();
            notAfter[i] = java.sql.Timestamp.from(accepted.get(i).notAfter());
        }
        Set<UUID> fresh = new HashSet<>(db.sql("""
                insert into agent_nonce (deployment_id, nonce) select * from unnest(?::uuid[], ?::text[])
                on conflict do nothing returning deployment_id""").params(ids, nonces).query(UUID.class).list());
        Map<UUID, Long> sequence = new HashMap<>();
        db.sql("""
                insert into agent_license (deployment_id, sequence, nonce, issued_at, not_after, stop_version)
                select r.d, 1, r.nonce, ?, r.not_after, ? from unnest(?::uuid[], ?::text[], ?::timestamptz[]) as r(d, nonce, not_after)
                 where r.d = any(?)
                on conflict (deployment_id) do update set sequence = agent_license.sequence + 1, nonce = excluded.nonce,
                    issued_at = excluded.issued_at, not_after = excluded.not_after, stop_version = excluded.stop_version
                returning deployment_id, sequence""")
                .params(java.sql.Timestamp.from(now), version, ids, nonces, notAfter, fresh.toArray(UUID[]::new))
                .query(rs -> {
                    sequence.put(rs.getObject(1, UUID.class), rs.getLong(2));
                });
        for (Accepted a : accepted) {
            Long seq = sequence.get(a.copy().id());
            if (seq == null) {
                outcome.put(a.pending(), new AgentRefusedException(HttpStatus.CONFLICT, "replayed-nonce",
                        "nonce " + a.request().nonce() + " was already used"));
            } else {
                outcome.put(a.pending(), new License(a.copy().id(), a.copy().manifestDigest(), seq, a.request().nonce(), now,
                        a.notAfter(), version));
            }
        }
        return outcome;
    }

    private Accepted check(Pending p, Deployments.Copy copy, long version, Instant now) {
        if (copy == null) {
            throw new NotFoundException("deployment", p.claimed().deployment());
        }
        if (copy.agentKey() == null) {
            throw AgentRefusedException.unauthenticated("deployment " + copy.id() + " has no enrolled agent key");
        }
        LicenseRequest request;
        try {
            request = LicenseRequest.parse(keys.open(p.note(), copy));
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
        AgentKeys.fresh(request.time(), now);
        if (!copy.active()) {
            throw AgentRefusedException.noLicense("deployment " + copy.id() + " is " + copy.status() + ", not ACTIVE");
        }
        if (copy.manifestDigest() == null) {
            throw AgentRefusedException.noLicense("deployment " + copy.id() + " serves no artifact with a manifest digest");
        }
        Optional<UUID> order = stops.covering(copy, version);
        if (order.isPresent()) {
            throw AgentRefusedException.noLicense("stop order " + order.get() + " covers deployment " + copy.id());
        }
        return new Accepted(p, copy, request, now.plus(copy.frontier() ? frontierLifetime : lifetime));
    }

    /** Forgets, once a minute, request nonces older than twice the freshness window: a request that old is refused by its time. */
    private void sweepNonces() {
        if (System.nanoTime() - nonceSweep < TimeUnit.MINUTES.toNanos(1)) {
            return;
        }
        nonceSweep = System.nanoTime();
        try {
            db.sql("delete from agent_nonce where seen_at < now() - make_interval(secs => ?)")
                    .param(AgentKeys.WINDOW.multipliedBy(2).toSeconds()).update();
        } catch (RuntimeException e) {
            log.warn("old license nonces not swept: {}", e.toString());
        }
    }
}
