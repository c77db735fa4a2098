package org.ditchley.termination.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The coverage board of an order: each copy it covers and where that copy stands, with counts
 * and the distribution of time from the order taking effect to the copy halting.
 *
 * <ul>
 *   <li>HALTED: its agent's signed halt receipt arrived (times: when the agent says it halted, and when
 *       its receipt arrived);</li>
 *   <li>EXPIRED: no receipt, but its last license, plus the order's grace, has run out, so a
 *       fail-closed agent has stopped it (time: that expiry; a copy never licensed counts from
 *       the order's effect);</li>
 *   <li>PENDING: the order reached its open stream and the receipt has not arrived yet;</li>
 *   <li>UNREACHABLE: its agent had no stream open; it halts at the latest when its license expires.</li>
 * </ul>
 */
@Component
class Coverage {

    enum State { HALTED, EXPIRED, PENDING, UNREACHABLE }

    record Copy(UUID deploymentId, UUID organisationId, State state, Instant pushedAt, Instant haltedAt, Instant receivedAt, String how,
                Instant licenseNotAfter, Long millisToHalt, Long millisToReceipt) {
    }

    record Distribution(int count, Long p50, Long p90, Long p99, Long max) {
    }

    /** {@code millisToHalt}: halted copies by their signed halt time, expired ones by their expiry; {@code millisToReceipt}: receipts' arrival. */
    record Board(UUID orderId, String status, Instant effectiveAt, Map<State, Integer> counts, Distribution millisToHalt,
                 Distribution millisToReceipt, List<Copy> copies) {
    }

    private final JdbcClient db;

    Coverage(JdbcClient db) {
        this.db = db;
    }

    /** The board of {@code order}; with {@code copies} false, only counts and the distribution (what the public sees). */
    Board of(StopOrders.Order order, boolean copies) {
        Instant now = Instant.now();
        Instant effective = order.effectiveAt();
        Duration grace = Duration.ofSeconds(order.graceSeconds());
        List<Copy> all = new ArrayList<>();
        // Pushes are read on their own, not joined: an order's copies and pushes are inserted in
        // bulk just before the board is first read, and with statistics from before that insert the
        // planner expects one copy and one push, joining them by a scan of all the order's pushes
        // for each copy (10,000 copies: 10^8 rows, 20 s).
        Map<UUID, Instant> pushes = new HashMap<>();
        db.sql("select deployment_id, pushed_at from stop_order_push where order_id = ?").param(order.id())
                .query(rs -> {
                    pushes.put(rs.getObject(1, UUID.class), instant(rs.getTimestamp(2)));
                });
        db.sql("""
                select c.deployment_id, d.organisation_id, c.halted_at, c.received_at, c.how, l.not_after
                  from stop_order_copy c join deployment d on d.id = c.deployment_id
                  left join agent_license l on l.deployment_id = c.deployment_id
                 where c.order_id = ? order by c.deployment_id""").param(order.id())
                .query(rs -> {
                    UUID deployment = rs.getObject(1, UUID.class);
                    Instant pushed = pushes.get(deployment);
                    Instant received = instant(rs.getTimestamp(4));
                    Instant notAfter = instant(rs.getTimestamp(6));
                    Instant halted = instant(rs.getTimestamp(3));
                    State state;
                    Long millis = null;
                    Long toReceipt = null;
                    if (received != null) {
                        state = State.HALTED;
                        millis = effective == null ? null : Math.max(0, Duration.between(effective, halted).toMillis());
                        toReceipt = effective == null ? null : Math.max(0, Duration.between(effective, received).toMillis());
                    } else {
                        Instant expiry = notAfter == null ? effective : notAfter.plus(grace);
                        if (expiry != null && !expiry.isAfter(now)) {
                            state = State.EXPIRED;
                            millis = effective == null ? null : Math.max(0, Duration.between(effective, expiry).toMillis());
                        } else {
                            state = pushed != null ? State.PENDING : State.UNREACHABLE;
                        }
                    }
                    all.add(new Copy(deployment, rs.getObject(2, UUID.class), state, pushed, halted,
                            received, rs.getString(5), notAfter, millis, toReceipt));
                });
        Map<State, Integer> counts = new LinkedHashMap<>();
        for (State s : State.values()) {
            counts.put(s, 0);
        }
        all.forEach(c -> counts.merge(c.state(), 1, Integer::sum));
        return new Board(order.id(), order.status().name(), effective, counts,
                distribution(all.stream().map(Copy::millisToHalt).toList()), distribution(all.stream().map(Copy::millisToReceipt).toList()),
                copies ? all : null);
    }

    static Distribution distribution(List<Long> millis) {
        long[] times = millis.stream().filter(java.util.Objects::nonNull).mapToLong(Long::longValue).sorted().toArray();
        return times.length == 0 ? new Distribution(0, null, null, null, null)
                : new Distribution(times.length, at(times, 0.50), at(times, 0.90), at(times, 0.99), times[times.length - 1]);
    }

    /** The nearest-rank percentile {@code p} of sorted {@code times}. */
    static long at(long[] times, double p) {
        int rank = (int) Math.ceil(p * times.length);
        return times[Math.max(0, Math.min(times.length - 1, rank - 1))];
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
