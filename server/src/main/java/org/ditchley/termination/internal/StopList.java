package org.ditchley.termination.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.ditchley.agent.StopOrder;
import org.ditchley.registry.Deployments;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The orders in effect, as licenses are checked against them: which deployments, artifact
 * digests and models each covers. Kept in memory and read again whenever the stop-list version
 * in the database moved, so every node refuses a license as soon as an order takes effect,
 * whichever node approved it.
 */
@Component
class StopList {

    private record Snapshot(long version, Map<UUID, UUID> deployments, Map<String, UUID> artifacts, Map<UUID, UUID> models) {
    }

    private final JdbcClient db;
    private final StopOrders orders;
    private final Deployments registry;
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of(), Map.of(), Map.of());

    StopList(JdbcClient db, StopOrders orders, Deployments registry) {
        this.db = db;
        this.orders = orders;
        this.registry = registry;
    }

    long version() {
        return db.sql("select stop_version from termination_state where id = 1").query(Long.class).single();
    }

    /** The order in effect that covers {@code copy}, if any, against the stop list at {@code version}. */
    Optional<UUID> covering(Deployments.Copy copy, long version) {
        Snapshot s = snapshot;
        if (s.version() != version) {
            s = load(version);
        }
        UUID order = s.deployments().get(copy.id());
        if (order == null && copy.manifestDigest() != null) {
            order = s.artifacts().get(copy.manifestDigest());
        }
        if (order == null) {
            order = s.models().get(copy.modelId());
        }
        return Optional.ofNullable(order);
    }

    private synchronized Snapshot load(long version) {
        if (snapshot.version() == version) {
            return snapshot;
        }
        Map<UUID, UUID> deployments = new HashMap<>();
        Map<String, UUID> artifacts = new HashMap<>();
        Map<UUID, UUID> models = new HashMap<>();
        for (StopOrders.Order order : orders.inEffect()) {
            StopOrder signed = StopOrders.signedText(order);
            signed.deployments().forEach(d -> deployments.put(d, order.id()));
            signed.artifacts().forEach(a -> artifacts.put(a, order.id()));
            if (order.scope() == StopOrders.Scope.MODEL) {
                Set<UUID> scope = order.withDerivatives() ? registry.withDescendants(order.modelId()) : Set.of(order.modelId());
                scope.forEach(m -> models.put(m, order.id()));
            }
        }
        db.sql("""
                select c.deployment_id, c.order_id from stop_order_copy c join stop_order o on o.id = c.order_id
                 where o.status = 'IN_EFFECT'""")
                .query((rs, n) -> deployments.put(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list();
        Snapshot s = new Snapshot(version, Map.copyOf(deployments), Map.copyOf(artifacts), Map.copyOf(models));
        snapshot = s;
        return s;
    }
}
