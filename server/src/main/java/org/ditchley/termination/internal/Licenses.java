package org.ditchley.termination.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ditchley.agent.License;
import org.ditchley.agent.LicenseRequest;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.Signed;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.ConflictException;
import org.ditchley.registry.Deployments;
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
 * <p>Agents renew thousands of times a second, so requests are decided in batches. The thread
 * that receives a request verifies its signature and time; one writer then reads the deployments
 * of every request that arrived meanwhile, checks each, records the new nonces and sequence
 * numbers in one transaction, and answers each caller once it has committed; the caller's thread
 * signs its license. A deployment has at most one request being decided on a node at a time (a
 * second is refused with 409), so its sequence numbers follow the order of its requests.
 */
@Service
class Licenses implements SmartLifecycle {

    static final int BATCH = 512;

    /** A request whose signature {@code agentKey} verified. */
    private record Pending(byte[] note, LicenseRequest request, String agentKey) {
    }

    private record Accepted(Pending pending, Deployments.Copy copy, Instant notAfter) {

        LicenseRequest request() {
            return pending.request();
        }
    }

    private final JdbcClient db;
    private final Deployments deployments;
    private final AgentKeys keys;
    private final StopList stops;
    private final TerminationKey key;
    private final Duration frontierLifetime;
    private final Duration lifetime;
    private final Batches<Pending, License> batches;
    private final Set<UUID> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long nonceSweep = System.nanoTime();

    Licenses(JdbcClient db, Deployments deployments, AgentKeys keys, StopList stops, TerminationKey key, TransactionTemplate tx,
             @Value("${ditchley.termination.frontier-lifetime:PT5M}") Duration frontierLifetime,
             @Value("${ditchley.termination.lifetime:PT1H}") Duration lifetime) {
        this.db = db;
        this.deployments = deployments;
        this.keys = keys;
        this.stops = stops;
        this.key = key;
        this.frontierLifetime = frontierLifetime;
        this.lifetime = lifetime;
        this.batches = new Batches<>("licenses", BATCH, tx, this::decide);
    }

    /**
     * Decides the signed license request {@code note}: the future completes on the batch writer's
     * thread with the license to {@link #sign}, or fails with the problem refusing it. A request
     * that does not verify, or whose deployment has another request being decided, is refused
     * at once by a thrown {@link DitchleyException}.
     */
    public CompletableFuture<License> issue(byte[] note) {
        String unverified = AgentKeys.unverifiedText(note);
        LicenseRequest parsed = parse(unverified);
        AgentKeys.Verified verified = keys.verify(note, parsed.deployment());
        LicenseRequest request = verified.text().equals(unverified) ? parsed : parse(verified.text());
        AgentKeys.fresh(request.time(), Instant.now());
        if (!pending.add(request.deployment())) {
            throw new ConflictException("license-pending", "a license request for deployment " + request.deployment()
                    + " is being decided; send the next once it is answered");
        }
        return batches.submit(new Pending(note, request, verified.agentKey()))
                .whenComplete((license, refused) -> pending.remove(request.deployment()));
    }

    private static LicenseRequest parse(String text) {
        try {
            return LicenseRequest.parse(text);
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
    }

    /** {@code license} as the signed note the agent receives. */
    public byte[] sign(License license) {
        return Signed.sign(license.text(), key.signer());
    }

    @Override
    public void start() {
        batches.start();
    }

    @Override
    public void stop() {
        batches.stop();
    }

    @Override
    public boolean isRunning() {
        return batches.running();
    }

    /** Decides one batch of requests, each for a different deployment: for each a license, or why not. */
    private List<Object> decide(List<Pending> batch) {
        sweepNonces();
        Map<Pending, Object> outcome = new java.util.IdentityHashMap<>();
        Map<UUID, Deployments.Copy> copies = new HashMap<>();
        deployments.byIds(batch.stream().map(p -> p.request().deployment()).toList()).forEach(c -> copies.put(c.id(), c));
        long version = stops.version();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Accepted> accepted = new ArrayList<>();
        for (Pending p : batch) {
            try {
                accepted.add(check(p, copies.get(p.request().deployment()), version, now));
            } catch (DitchleyException e) {
                outcome.put(p, e);
            }
        }
        if (accepted.isEmpty()) {
            return batch.stream().map(outcome::get).toList();
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
        return batch.stream().map(outcome::get).toList();
    }

    private Accepted check(Pending p, Deployments.Copy copy, long version, Instant now) {
        LicenseRequest request = p.request();
        keys.confirm(p.note(), request.deployment(), copy, p.agentKey());
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
        return new Accepted(p, copy, now.plus(copy.frontier() ? frontierLifetime : lifetime));
    }

    /** Forgets, at most once a minute and in the batch's transaction, request nonces older than twice the freshness window: a request that old is refused by its time. */
    private void sweepNonces() {
        if (System.nanoTime() - nonceSweep < TimeUnit.MINUTES.toNanos(1)) {
            return;
        }
        nonceSweep = System.nanoTime();
        db.sql("delete from agent_nonce where seen_at < now() - make_interval(secs => ?)")
                .param(AgentKeys.WINDOW.multipliedBy(2).toSeconds()).update();
    }
}
