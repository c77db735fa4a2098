package org.ditchley.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queue is empty most of the time, and its statistics say so once autovacuum has seen it
 * empty. A burst of entries must still leave it in one pass, whatever the planner expects.
 */
@NodeTest
class LedgerQueueTests {

    static final int ENTRIES = 3000;

    @Autowired
    LedgerStore store;
    @Autowired
    JdbcClient db;
    @Autowired
    TransactionTemplate tx;

    @Test
    void aBurstLeavesAQueueThePlannerBelievesEmptyInOnePass() {
        tx.executeWithoutResult(status -> {
            store.queueAll(probes(ENTRIES));
            // what autovacuum records for a queue it found empty in pages it could not give back
            db.sql("update pg_class set reltuples = 0, relpages = 40 where relname = 'ledger_queue'").update();

            JsonNode plan = JsonMapper.builder().build().readTree(db.sql("explain (analyze, format json) " + LedgerStore.TAKE)
                    .param(ENTRIES + 1000).query(String.class).single()).get(0).get("Plan");
            assertThat(rowsVisited(plan)).as("rows the plan visited to take %d entries", ENTRIES).isLessThan(10L * ENTRIES);
            status.setRollbackOnly();
        });
        tx.executeWithoutResult(status -> {
            store.take(Integer.MAX_VALUE);
            List<Long> queued = store.queueAll(probes(5));
            List<LedgerStore.Queued> taken = store.take(3);
            assertThat(taken).extracting(LedgerStore.Queued::seq).as("the oldest three, in order").isEqualTo(queued.subList(0, 3));
            assertThat(store.take(10)).extracting(LedgerStore.Queued::seq).isEqualTo(queued.subList(3, 5));
            assertThat(store.take(10)).isEmpty();
            assertThat(store.take(0)).isEmpty();
            status.setRollbackOnly();
        });
    }

    private static List<Pending> probes(int n) {
        List<Pending> probes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] body = ("{\"n\":" + i + ",\"type\":\"QueueProbe\"}").getBytes(StandardCharsets.UTF_8);
            probes.add(new Pending(body, body, null));
        }
        return probes;
    }

    /** Rows produced by every node of the plan, times the loops it ran. */
    private static long rowsVisited(JsonNode node) {
        long rows = (long) (node.get("Actual Rows").asDouble() * node.get("Actual Loops").asLong());
        JsonNode children = node.get("Plans");
        if (children != null) {
            for (JsonNode child : children) {
                rows += rowsVisited(child);
            }
        }
        return rows;
    }
}
