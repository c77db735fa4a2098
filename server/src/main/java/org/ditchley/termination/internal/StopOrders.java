package org.ditchley.termination.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.ditchley.agent.Signed;
import org.ditchley.agent.StopLifted;
import org.ditchley.agent.StopOrder;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Role;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.Hashes;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.Deployments;
import org.ditchley.termination.StopOrderApproved;
import org.ditchley.termination.StopOrderDrafted;
import org.ditchley.termination.StopOrderLifted;
import org.ditchley.termination.StopOrderTookEffect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stop orders through their life: DRAFT (an officer drafts it, which counts as the first
 * approval), IN_EFFECT (once {@code quorum} distinct officers approved; its scope is resolved to
 * the copies it covers and the order is signed for the agents), LIFTED (once {@code liftQuorum}
 * distinct officers approved lifting it, each with a reason). Each change bumps the stop-list
 * version that licenses are issued against, and goes on the ledger.
 */
@Service
class StopOrders {

    private static final Logger log = LoggerFactory.getLogger(StopOrders.class);

    enum Scope { MODEL, ARTIFACTS, DEPLOYMENTS }

    enum ReasonKind { RED_LINE, INCIDENT, OTHER }

    enum Status { DRAFT, IN_EFFECT, LIFTED }

    record Draft(Scope scope, UUID modelId, Boolean withDerivatives, List<UUID> targets, ReasonKind reasonKind, String reason,
                 Long graceSeconds) {
    }

    record Order(UUID id, Scope scope, UUID modelId, boolean withDerivatives, List<UUID> targets, ReasonKind reasonKind,
                 String reason, long graceSeconds, Status status, int quorum, int liftQuorum, int approvals, int liftApprovals,
                 Instant draftedAt, Instant effectiveAt, Instant liftedAt, String note) {
    }

    /** What a resolved scope covers: the copies, and the artifact digests and deployments the signed order names. */
    record Resolved(List<Deployments.Copy> copies, Set<String> artifacts, Set<UUID> deployments, Set<UUID> models) {
    }

    static final int MAX_TARGETS = 10_000;

    /** The advisory lock that orders' changes take exclusively and registry changes shared ("STOPLIST"). */
    static final long STOP_LIST_LOCK = 0x53544f504c495354L;

    private final JdbcClient db;
    private final Deployments deployments;
    private final TerminationKey key;
    private final ApplicationEventPublisher events;
    private final OrderStreams streams;
    private final int quorum;
    private final int liftQuorum;

    StopOrders(JdbcClient db, Deployments deployments, TerminationKey key, ApplicationEventPublisher events, OrderStreams streams,
               @Value("${ditchley.termination.quorum:2}") int quorum, @Value("${ditchley.termination.lift-quorum:3}") int liftQuorum) {
        this.db = db;
        this.deployments = deployments;
        this.key = key;
        this.events = events;
        this.streams = streams;
        this.quorum = quorum;
        this.liftQuorum = liftQuorum;
        if (quorum < 1 || liftQuorum < quorum) {
            throw new IllegalStateException("the quorum must be at least 1 and the lift quorum at least the quorum, not "
                    + quorum + " and " + liftQuorum);
        }
    }

    static void requireOfficer(Actor actor) {
        if (!actor.isRegulator() || !actor.has(Role.OFFICER)) {
            throw new AccessDeniedException("only the regulator's officers draft, approve and lift stop orders");
        }
    }

    @Transactional
    public Order draft(Actor actor, Draft d) {
        requireOfficer(actor);
        if (d == null || d.scope() == null) {
            throw new InvalidInputException("scope", "is required: MODEL, ARTIFACTS or DEPLOYMENTS");
        }
        if (d.reasonKind() == null) {
            throw new InvalidInputException("reasonKind", "is required: RED_LINE, INCIDENT or OTHER");
        }
        String reason = d.reason() == null ? "" : d.reason().replaceAll("\\p{Cntrl}", " ").strip();
        if (reason.isEmpty() || reason.length() > 2000) {
            throw new InvalidInputException("reason", "must be 1 to 2000 characters");
        }
        long grace = d.graceSeconds() == null ? 60 : d.graceSeconds();
        if (grace < 0 || grace > StopOrder.MAX_GRACE) {
            throw new InvalidInputException("graceSeconds", "must be 0 to " + StopOrder.MAX_GRACE);
        }
        if (d.targets() != null && d.targets().contains(null)) {
            throw new InvalidInputException("targets", "contains null; name artifacts or deployments by their ids");
        }
        List<UUID> targets = d.targets() == null ? List.of() : List.copyOf(new LinkedHashSet<>(d.targets()));
        if (targets.size() > MAX_TARGETS) {
            throw new InvalidInputException("targets", "names more than " + MAX_TARGETS);
        }
        switch (d.scope()) {
            case MODEL -> {
                if (d.modelId() == null || !deployments.modelExists(d.modelId())) {
                    throw new InvalidInputException("modelId", "must name a registered model");
                }
                if (!targets.isEmpty()) {
                    throw new InvalidInputException("targets", "are for ARTIFACTS and DEPLOYMENTS orders; a MODEL order names modelId");
                }
            }
            case ARTIFACTS -> {
                if (targets.isEmpty()) {
                    throw new InvalidInputException("targets", "must name at least one artifact");
                }
                Set<UUID> unknown = deployments.unknownArtifacts(targets);
                if (!unknown.isEmpty()) {
                    throw new InvalidInputException("targets", "names artifacts that do not exist: " + unknown.stream().limit(5).toList());
                }
            }
            case DEPLOYMENTS -> {
                if (targets.isEmpty()) {
                    throw new InvalidInputException("targets", "must name at least one deployment");
                }
                Set<UUID> found = new java.util.HashSet<>();
                deployments.byIds(targets).forEach(c -> found.add(c.id()));
                List<UUID> unknown = targets.stream().filter(t -> !found.contains(t)).limit(5).toList();
                if (!unknown.isEmpty()) {
                    throw new InvalidInputException("targets", "names deployments that do not exist: " + unknown);
                }
            }
        }
        if (d.scope() != Scope.MODEL && d.modelId() != null) {
            throw new InvalidInputException("modelId", "is for MODEL orders only");
        }
        boolean withDerivatives = d.withDerivatives() == null || d.withDerivatives();
        UUID id = db.sql("""
                insert into stop_order (scope, model_id, with_derivatives, reason_kind, reason, grace_seconds, quorum, lift_quorum,
                                        status, drafted_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT', ?) returning id""")
                .params(d.scope().name(), d.modelId(), withDerivatives, d.reasonKind().name(), reason, grace, quorum, liftQuorum,
                        actor.accountId())
                .query(UUID.class).single();
        for (UUID t : targets) {
            db.sql("insert into stop_order_target (order_id, target_id) values (?, ?)").params(id, t).update();
        }
        events.publishEvent(new StopOrderDrafted(id, d.scope().name(), d.modelId(), withDerivatives, targets, d.reasonKind().name(),
                grace, actor.accountId(), Instant.now()));
        return approve(actor, id);
    }

    /** Adds the officer's approval of a DRAFT order; the order takes effect when the quorum is reached. */
    @Transactional
    public Order approve(Actor actor, UUID id) {
        requireOfficer(actor);
        Order order = lock(id);
        if (order.status() != Status.DRAFT) {
            throw new ConflictException("illegal-transition", "stop order " + id + " is " + order.status()
                    + "; only a DRAFT order is approved to take effect");
        }
        int inserted = db.sql("insert into stop_order_approval (order_id, account_id, action) values (?, ?, 'EFFECT') on conflict do nothing")
                .params(id, actor.accountId()).update();
        if (inserted == 0) {
            throw new ConflictException("already-approved", "you have already approved stop order " + id + "; nobody approves twice");
        }
        int approvals = order.approvals() + 1;
        events.publishEvent(new StopOrderApproved(id, "EFFECT", approvals, order.quorum(), actor.accountId(), Instant.now()));
        if (approvals >= order.quorum()) {
            takeEffect(order);
        }
        return get(id);
    }

    /** Adds the officer's approval, with a reason, to lift an order IN_EFFECT; it is lifted when the lift quorum is reached. */
    @Transactional
    public Order lift(Actor actor, UUID id, String reason) {
        requireOfficer(actor);
        String why = reason == null ? "" : reason.replaceAll("\\p{Cntrl}", " ").strip();
        if (why.isEmpty() || why.length() > 2000) {
            throw new InvalidInputException("reason", "must be 1 to 2000 characters: lifting an order needs a reason");
        }
        Order order = lock(id);
        if (order.status() != Status.IN_EFFECT) {
            throw new ConflictException("illegal-transition", "stop order " + id + " is " + order.status() + "; only an order IN_EFFECT is lifted");
        }
        int inserted = db.sql("insert into stop_order_approval (order_id, account_id, action, reason) values (?, ?, 'LIFT', ?) on conflict do nothing")
                .params(id, actor.accountId(), why).update();
        if (inserted == 0) {
            throw new ConflictException("already-approved", "you have already approved lifting stop order " + id + "; nobody approves twice");
        }
        int approvals = order.liftApprovals() + 1;
        events.publishEvent(new StopOrderApproved(id, "LIFT", approvals, order.liftQuorum(), actor.accountId(), Instant.now()));
        if (approvals >= order.liftQuorum()) {
            long version = nextVersion();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            byte[] note = Signed.sign(new StopLifted(id, now).text(), key.signer());
            db.sql("update stop_order set status = 'LIFTED', lifted_at = ?, lift_note = ?, changed_version = ? where id = ?")
                    .params(java.sql.Timestamp.from(now), note, version, id).update();
            events.publishEvent(new StopOrderLifted(id, version, now));
            afterCommitWake();
        }
        return get(id);
    }

    private void takeEffect(Order order) {
        long version = nextVersion();
        // the board measures from the exact moment; the signed order states it to the second
        Instant effective = Instant.now();
        Instant now = effective.truncatedTo(ChronoUnit.SECONDS);
        Resolved r = resolve(order);
        byte[] note = sign(order, version, now, r);
        db.sql("update stop_order set status = 'IN_EFFECT', effective_at = ?, stop_version = ?, changed_version = ?, note = ? where id = ?")
                .params(java.sql.Timestamp.from(effective), version, version, note, order.id()).update();
        // a DRAFT order has no copies yet
        addCopies(order.id(), r.copies(), true);
        events.publishEvent(new StopOrderTookEffect(order.id(), version, HexFormat.of().formatHex(Hashes.sha256(note)), r.copies().size(), now));
        afterCommitWake();
        log.info("stop order {} takes effect at {} on {} copies (stop list version {})", order.id(), effective, r.copies().size(), version);
    }

    /**
     * Re-resolves every order in effect, after the registry changed in a way that may widen a
     * scope (new lineage, a new deployment or artifact, an agent enrolled): new copies are added,
     * and an order whose artifact list grew is signed again and pushed again.
     */
    @Transactional
    public void reresolve() {
        db.sql("select 1 from pg_advisory_xact_lock_shared(?)").param(STOP_LIST_LOCK).query(Integer.class).single();
        // widenings of one order are serialized by its row: the second re-resolves after the first commits, and sees it
        if (db.sql("select 1 from stop_order where status = 'IN_EFFECT' order by id for update").query(Integer.class).list().isEmpty()) {
            return;
        }
        List<Order> inEffect = inEffect();
        boolean changed = false;
        for (Order order : inEffect) {
            Resolved r = resolve(order);
            int added = addCopies(order.id(), r.copies(), false);
            StopOrder signed = signedText(order);
            boolean widened = !new TreeSet<>(signed.artifacts()).equals(new TreeSet<>(r.artifacts()));
            if (added > 0 || widened) {
                long version = nextVersion();
                if (widened) {
                    byte[] note = sign(order, version, signed.issued(), r);
                    db.sql("update stop_order set note = ?, changed_version = ? where id = ?").params(note, version, order.id()).update();
                } else {
                    db.sql("update stop_order set changed_version = ? where id = ?").params(version, order.id()).update();
                }
                changed = true;
            }
        }
        if (changed) {
            afterCommitWake();
        }
    }

    /** The order's signed text, as this node stored it when it signed it. */
    static StopOrder signedText(Order order) {
        try {
            return StopOrder.parse(AgentKeys.textOf(order.note().getBytes(StandardCharsets.UTF_8)));
        } catch (org.ditchley.agent.ProtocolException e) {
            throw new IllegalStateException("stored order " + order.id() + " does not parse", e);
        }
    }

    /** The order's note for agents, signed at stop-list {@code version}: the version its transaction moved the list to. */
    private byte[] sign(Order order, long version, Instant issued, Resolved r) {
        StopOrder signed = new StopOrder(order.id(), version, issued, order.graceSeconds(), order.reasonKind() + ": " + order.reason(),
                List.copyOf(new TreeSet<>(r.artifacts())), List.copyOf(new TreeSet<>(r.deployments())));
        return Signed.sign(signed.text(), key.signer());
    }

    Resolved resolve(Order order) {
        return switch (order.scope()) {
            case MODEL -> {
                Set<UUID> models = order.withDerivatives() ? deployments.withDescendants(order.modelId()) : Set.of(order.modelId());
                yield new Resolved(deployments.ofModels(models), deployments.manifestDigestsOfModels(models), Set.of(), models);
            }
            case ARTIFACTS -> new Resolved(deployments.ofArtifacts(order.targets()), deployments.manifestDigestsOfArtifacts(order.targets()),
                    Set.of(), Set.of());
            case DEPLOYMENTS -> new Resolved(deployments.byIds(order.targets()), Set.of(), Set.copyOf(order.targets()), Set.of());
        };
    }

    /**
     * Adds {@code copies} to {@code order}'s; returns how many were not there yet. An order that
     * has none yet ({@code first}) takes each with a plain insert, with nothing to conflict with.
     */
    private int addCopies(UUID order, List<Deployments.Copy> copies, boolean first) {
        if (copies.isEmpty()) {
            return 0;
        }
        return db.sql("insert into stop_order_copy (order_id, deployment_id) select ?, unnest(?::uuid[])" + (first ? "" : " on conflict do nothing"))
                .params(order, copies.stream().map(Deployments.Copy::id).toArray(UUID[]::new)).update();
    }

    private long nextVersion() {
        return db.sql("update termination_state set stop_version = stop_version + 1 where id = 1 returning stop_version")
                .query(Long.class).single();
    }

    private void afterCommitWake() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                streams.wake();
            }
        });
    }

    /**
     * Locks the stop list for the rest of the transaction, exclusively: an advisory lock
     * ({@link #STOP_LIST_LOCK}) that registry changes take shared, then the stop-list version's
     * row. Every change of an order's status takes this first, then the order's row, so two
     * transactions never wait on each other in opposite order.
     *
     * <p>A registry change that re-resolves ({@link #reresolve}) holds the advisory lock shared:
     * registry changes do not wait for one another, only for an order taking effect or being
     * lifted to commit, after which they see it; and such an order, resolved once it holds the
     * lock, sees every registry change committed before. A registry change that finds orders in
     * effect locks their rows, then the version's row (to move it), after the advisory lock, as
     * here; it never asks for the advisory lock exclusively, which two of them holding it shared
     * would wait for forever.
     */
    private void lockStopList() {
        db.sql("select 1 from pg_advisory_xact_lock(?)").param(STOP_LIST_LOCK).query(Integer.class).single();
        db.sql("select stop_version from termination_state where id = 1 for update").query(Long.class).single();
    }

    private Order lock(UUID id) {
        lockStopList();
        db.sql("select 1 from stop_order where id = ? for update").param(id).query(Integer.class).optional()
                .orElseThrow(() -> new NotFoundException("stop order", id));
        return get(id);
    }

    Order get(UUID id) {
        return db.sql(SELECT + " where o.id = ?").param(id).query(this::map).optional()
                .orElseThrow(() -> new NotFoundException("stop order", id));
    }

    List<Order> list(int limit) {
        return db.sql(SELECT + " order by o.drafted_at desc limit ?").param(limit).query(this::map).list();
    }

    List<Order> inEffect() {
        return db.sql(SELECT + " where o.status = 'IN_EFFECT'").query(this::map).list();
    }

    private static final String SELECT = """
            select o.*, (select count(*) from stop_order_approval a where a.order_id = o.id and a.action = 'EFFECT') as approvals,
                   (select count(*) from stop_order_approval a where a.order_id = o.id and a.action = 'LIFT') as lift_approvals,
                   array(select target_id from stop_order_target t where t.order_id = o.id order by target_id) as targets
              from stop_order o""";

    private Order map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        List<UUID> targets = new ArrayList<>();
        java.sql.Array array = rs.getArray("targets");
        for (Object o : (Object[]) array.getArray()) {
            targets.add((UUID) o);
        }
        byte[] note = rs.getBytes("note");
        return new Order(rs.getObject("id", UUID.class), Scope.valueOf(rs.getString("scope")), rs.getObject("model_id", UUID.class),
                rs.getBoolean("with_derivatives"), targets, ReasonKind.valueOf(rs.getString("reason_kind")), rs.getString("reason"),
                rs.getLong("grace_seconds"), Status.valueOf(rs.getString("status")), rs.getInt("quorum"), rs.getInt("lift_quorum"),
                rs.getInt("approvals"), rs.getInt("lift_approvals"), rs.getTimestamp("drafted_at").toInstant(),
                instant(rs, "effective_at"), instant(rs, "lifted_at"), note == null ? null : new String(note, StandardCharsets.UTF_8));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
