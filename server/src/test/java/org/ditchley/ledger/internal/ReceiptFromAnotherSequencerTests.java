package org.ditchley.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Nodes sharing a database share the queue: whichever node's sequencer takes a filing, the node
 * that answered the filer still names the index it received.
 */
@NodeTest
class ReceiptFromAnotherSequencerTests {

    @Autowired
    Node node;
    @Autowired
    Sequencer sequencer;
    @Autowired
    LedgerStore store;
    @Autowired
    TileCache tiles;
    @Autowired
    JdbcClient db;
    @Autowired
    TransactionTemplate tx;

    @Test
    void aFilingSequencedByAnotherNodeStillGetsItsIndex() throws Exception {
        Node.Caller dev = node.developer();
        Sequencer other = new Sequencer(store, tiles, db, tx, 4096, 200, 25);
        sequencer.stop();
        Node.Response filed;
        try {
            CompletableFuture<Node.Response> filing = CompletableFuture.supplyAsync(
                    () -> dev.post("/api/v1/models", Map.of("name", "Sequenced elsewhere")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (db.sql("select count(*) from ledger_queue").query(Long.class).single() == 0) {
                assertThat(System.nanoTime()).as("the filing is queued").isLessThan(deadline);
                Thread.sleep(20);
            }
            while (other.sequence() > 0) {
                // the other node's sequencer takes everything queued
            }
            filed = filing.get(10, TimeUnit.SECONDS);
        } finally {
            sequencer.start();
        }
        assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        String id = filed.json().get("id").asString();
        long index = Long.parseLong(filed.headers().firstValue("Ditchley-Ledger-Entries").orElseThrow());
        assertThat(node.anonymous().get("/ledger/records/" + id).json().get(0).asLong()).isEqualTo(index);
        assertThat(node.anonymous().get("/ledger/entries/" + index + "/receipt").status()).as("a checkpoint covers it").isEqualTo(200);
        assertThat(node.anonymous().get("/ledger/entries/" + index).json().get("entry").asString())
                .contains("\"type\":\"ModelRegistered\"").contains(id);

        // this node's sequencer carries on from the tree the other one extended
        Node.Response next = dev.post("/api/v1/models", Map.of("name", "Sequenced here"));
        long after = Long.parseLong(next.headers().firstValue("Ditchley-Ledger-Entries").orElseThrow());
        assertThat(after).isGreaterThan(index);
        assertThat(node.anonymous().get("/ledger/entries/" + after + "/receipt").status()).isEqualTo(200);
    }
}
