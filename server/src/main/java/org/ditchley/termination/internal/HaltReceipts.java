package org.ditchley.termination.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.ditchley.agent.HaltReceipt;
import org.ditchley.agent.ProtocolException;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.Hashes;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.Deployments;
import org.ditchley.termination.DeploymentHalted;
import org.ditchley.termination.DeploymentsHalted;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes agents' signed halt receipts: a receipt must be signed by the deployment's enrolled key
 * and name an order that covers the deployment. The first receipt per order and copy is kept with
 * its time of arrival and goes on the ledger (as a commitment: deployments are confidential);
 * a repeated one is acknowledged and changes nothing.
 *
 * <p>The thread that receives a receipt verifies its signature; receipts are then checked and
 * written in batches: one reading of the deployments they name and one transaction for all that
 * arrived meanwhile, each caller answered once its batch has committed. When an order takes
 * effect, thousands of receipts arrive within a second.
 */
@Service
class HaltReceipts implements SmartLifecycle {

    static final int BATCH = 1000;

    /** A receipt whose signature {@code agentKey} verified. */
    private record Pending(HaltReceipt receipt, byte[] note, Instant arrived, String agentKey) {
    }

    private record Checked(Pending pending, Deployments.Copy copy) {

        HaltReceipt receipt() {
            return pending.receipt();
        }
    }

    private final JdbcClient db;
    private final Deployments deployments;
    private final AgentKeys keys;
    private final ApplicationEventPublisher events;
    private final Batches<Pending, Boolean> batches;

    HaltReceipts(JdbcClient db, Deployments deployments, AgentKeys keys, ApplicationEventPublisher events, TransactionTemplate tx) {
        this.db = db;
        this.deployments = deployments;
        this.keys = keys;
        this.events = events;
        this.batches = new Batches<>("halt receipts", BATCH, tx, this::write);
    }

    /**
     * Records the signed receipt {@code note}: the future completes on the batch writer's thread
     * with whether it was the first for its order and copy, or fails with the problem refusing it.
     * A receipt that does not verify is refused at once by a thrown {@link DitchleyException}.
     */
    public CompletableFuture<Boolean> receive(byte[] note) {
        Instant now = Instant.now();
        String unverified = AgentKeys.unverifiedText(note);
        HaltReceipt parsed = parse(unverified);
        AgentKeys.Verified verified = keys.verify(note, parsed.deployment());
        HaltReceipt receipt = verified.text().equals(unverified) ? parsed : parse(verified.text());
        if (receipt.halted().isAfter(now.plus(AgentKeys.WINDOW))) {
            throw new InvalidInputException("halted", "is " + receipt.halted() + ", in the future of the node's " + now);
        }
        return batches.submit(new Pending(receipt, note, now, verified.agentKey()));
    }

    private static HaltReceipt parse(String text) {
        try {
            return HaltReceipt.parse(text);
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
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

    /**
     * Writes one batch of receipts already verified by their receivers: reads the deployments they
     * name, verifies again any receipt whose deployment has another key enrolled by now, and
     * records those naming an order in effect or lifted on the copy rows the order covers. Only
     * a receipt that recorded nothing costs a second look: its copy had a receipt already, or the
     * order does not cover it. The outcome per receipt is whether it was the first, or why it is refused.
     *
     * <p>Each step is a method of its own, run once a batch: the JIT compiles each loop on its
     * own, rather than the whole of this at once while the first order's receipts wait.
     */
    private List<Object> write(List<Pending> received) {
        Map<Pending, Object> outcome = new java.util.IdentityHashMap<>();
        List<Checked> valid = inEffect(confirmed(received, outcome), outcome);
        if (!valid.isEmpty()) {
            Set<String> first = record(valid);
            List<Checked> repeated = new ArrayList<>();
            List<DeploymentHalted> recorded = new ArrayList<>();
            for (Checked p : valid) {
                if (first.remove(p.receipt().order() + "/" + p.copy().id())) {
                    outcome.put(p.pending(), Boolean.TRUE);
                    recorded.add(halted(p));
                } else {
                    repeated.add(p);
                }
            }
            if (!recorded.isEmpty()) {
                // one publication for the batch: its receipts arrive by the thousand when an order takes effect
                events.publishEvent(new DeploymentsHalted(recorded));
            }
            if (!repeated.isEmpty()) {
                repeated(repeated, outcome);
            }
        }
        List<Object> answers = new ArrayList<>(received.size());
        for (Pending p : received) {
            answers.add(outcome.get(p));
        }
        return answers;
    }

    /** The receipts whose deployment still has the key that verified them (or another that verifies them); the rest refused in {@code outcome}. */
    private List<Checked> confirmed(List<Pending> received, Map<Pending, Object> outcome) {
        Map<UUID, Deployments.Copy> copies = new HashMap<>();
        deployments.byIds(received.stream().map(p -> p.receipt().deployment()).distinct().toList()).forEach(c -> copies.put(c.id(), c));
        List<Checked> batch = new ArrayList<>(received.size());
        for (Pending p : received) {
            Deployments.Copy copy = copies.get(p.receipt().deployment());
            try {
                keys.confirm(p.note(), p.receipt().deployment(), copy, p.agentKey());
                batch.add(new Checked(p, copy));
            } catch (DitchleyException e) {
                outcome.put(p, e);
            }
        }
        return batch;
    }

    /** The receipts naming an order that exists and has taken effect (it may have been lifted since); the rest refused in {@code outcome}. */
    private List<Checked> inEffect(List<Checked> batch, Map<Pending, Object> outcome) {
        if (batch.isEmpty()) {
            return batch;
        }
        UUID[] orderIds = batch.stream().map(p -> p.receipt().order()).distinct().toArray(UUID[]::new);
        Map<UUID, String> status = new HashMap<>();
        db.sql("select id, status from stop_order where id = any(?)").param(orderIds)
                .query(rs -> {
                    status.put(rs.getObject(1, UUID.class), rs.getString(2));
                });
        List<Checked> valid = new ArrayList<>(batch.size());
        for (Checked p : batch) {
            UUID order = p.receipt().order();
            String s = status.get(order);
            if (s == null) {
                outcome.put(p.pending(), new InvalidInputException("order", "stop order " + order + " does not exist"));
            } else if (s.equals("DRAFT")) {
                outcome.put(p.pending(), new ConflictException("illegal-transition", "stop order " + order + " is DRAFT; nothing halts for it yet"));
            } else {
                valid.add(p);
            }
        }
        return valid;
    }

    /**
     * Records each receipt on its order's copy row for its deployment, where that row exists and
     * has no receipt yet (the earliest arrival of a batch's duplicates wins); returns the
     * {@code order/deployment} pairs recorded.
     */
    private Set<String> record(List<Checked> valid) {
        int n = valid.size();
        UUID[] orders = new UUID[n];
        UUID[] deployments = new UUID[n];
        java.sql.Timestamp[] halted = new java.sql.Timestamp[n];
        String[] how = new String[n];
        byte[][] notes = new byte[n][];
        java.sql.Timestamp[] arrived = new java.sql.Timestamp[n];
        for (int i = 0; i < n; i++) {
            Checked p = valid.get(i);
            orders[i] = p.receipt().order();
            deployments[i] = p.copy().id();
            halted[i] = java.sql.Timestamp.from(p.receipt().halted());
            how[i] = p.receipt().how().name();
            notes[i] = p.pending().note();
            arrived[i] = java.sql.Timestamp.from(p.pending().arrived());
        }
        Set<String> first = new java.util.HashSet<>();
        db.sql("""
                update stop_order_copy c set halted_at = r.halted, how = r.how, receipt = r.note, received_at = r.arrived
                  from (select distinct on (o, d) * from unnest(?::uuid[], ?::uuid[], ?::timestamptz[], ?::text[], ?::bytea[], ?::timestamptz[])
                          as r(o, d, halted, how, note, arrived) order by o, d, arrived) r
                 where c.order_id = r.o and c.deployment_id = r.d and c.received_at is null
                returning c.order_id, c.deployment_id""")
                .params(orders, deployments, halted, how, notes, arrived)
                .query(rs -> {
                    first.add(rs.getObject(1, UUID.class) + "/" + rs.getObject(2, UUID.class));
                });
        return first;
    }

    private static DeploymentHalted halted(Checked p) {
        return new DeploymentHalted(p.copy().id(), p.copy().organisationId(), p.receipt().order(), p.receipt().how().name(),
                p.receipt().halted(), HexFormat.of().formatHex(Hashes.sha256(p.pending().note())), p.pending().arrived());
    }

    /**
     * Answers receipts that recorded nothing: acknowledged (false) if the order covers the copy,
     * which had its receipt already; refused if it does not cover it.
     */
    private void repeated(List<Checked> repeated, Map<Pending, Object> outcome) {
        Set<String> covered = new java.util.HashSet<>();
        db.sql("select order_id, deployment_id from stop_order_copy where order_id = any(?) and deployment_id = any(?)")
                .params(repeated.stream().map(p -> p.receipt().order()).distinct().toArray(UUID[]::new),
                        repeated.stream().map(p -> p.copy().id()).distinct().toArray(UUID[]::new))
                .query(rs -> {
                    covered.add(rs.getObject(1, UUID.class) + "/" + rs.getObject(2, UUID.class));
                });
        for (Checked p : repeated) {
            outcome.put(p.pending(), covered.contains(p.receipt().order() + "/" + p.copy().id()) ? Boolean.FALSE
                    : new InvalidInputException("order", "stop order " + p.receipt().order() + " does not cover deployment " + p.copy().id()));
        }
    }
}
