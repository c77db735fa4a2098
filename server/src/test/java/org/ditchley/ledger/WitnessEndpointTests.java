package org.ditchley.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.ditchley.tlog.Checkpoint;
import org.ditchley.tlog.CosignatureVerifier;
import org.ditchley.tlog.Hash;
import org.ditchley.tlog.MerkleTree;
import org.ditchley.tlog.Note;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.WitnessRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** This node witnessing a peer regulator's log over c2sp.org/tlog-witness. */
@NodeTest
class WitnessEndpointTests {

    @Autowired
    Node node;

    final NoteSigner peer = NoteSigner.generate("peer-" + System.nanoTime() + ".example/log");
    final MerkleTree tree = new MerkleTree();

    Node.Response submit(long old, List<Hash> proof, int size, NoteSigner signer) {
        byte[] note = Note.sign(new Checkpoint(peer.name(), size, tree.root(size)).text(), signer);
        return submit(new WitnessRequest(old, proof, note).bytes());
    }

    Node.Response submit(byte[] body) {
        return node.anonymous().send("POST", "/ledger/witness/add-checkpoint", "text/plain",
                HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Test
    void cosignsAPeerLogThatGrowsConsistently() throws Exception {
        for (int i = 0; i < 40; i++) {
            tree.appendEntry(("peer entry " + i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(submit(0, List.of(), 10, peer).status()).as("not yet trusted").isEqualTo(404);
        assertThat(node.regulator().post("/api/v1/witness/logs", Map.of("vkey", peer.verifier().toString())).status()).isEqualTo(201);
        assertThat(node.regulator().post("/api/v1/witness/logs", Map.of("vkey", peer.verifier().toString())).status()).isEqualTo(409);
        assertThat(node.regulator().post("/api/v1/witness/logs", Map.of("vkey", "nonsense")).status()).isEqualTo(400);

        Node.Response first = submit(0, List.of(), 10, peer);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        CosignatureVerifier witness = CosignatureVerifier.parse(node.anonymous().get("/ledger/witness/vkey").body().strip());
        Checkpoint ten = new Checkpoint(peer.name(), 10, tree.root(10));
        byte[] cosigned = (new String(Note.sign(ten.text(), peer), StandardCharsets.UTF_8) + first.body()).getBytes(StandardCharsets.UTF_8);
        Note.Signature line = Note.open(cosigned, List.of(peer.verifier())).unverified().get(0);
        assertThat(witness.verify(ten, line)).isPositive();

        Node.Response stale = submit(0, List.of(), 12, peer);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.contentType()).startsWith("text/x.tlog.size");
        assertThat(stale.body()).isEqualTo("10\n");

        assertThat(submit(10, tree.consistencyProof(10, 30), 30, peer).status()).isEqualTo(200);
        assertThat(submit(30, tree.consistencyProof(10, 40), 40, peer).status()).isEqualTo(422);
        assertThat(submit(30, List.of(), 30, NoteSigner.generate(peer.name())).status()).isEqualTo(403);
        assertThat(submit("old 0\n\nnot a checkpoint\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(submit(new byte[2 * 1024 * 1024]).status()).isEqualTo(413);
        assertThat(node.anonymous().get("/api/v1/witness/logs").body()).contains(peer.name());
    }

    @Test
    void theWitnessKeyIsNotTheLogKey() throws Exception {
        CosignatureVerifier witness = CosignatureVerifier.parse(node.anonymous().get("/ledger/witness/vkey").body().strip());
        NoteVerifier log = NoteVerifier.parse(node.anonymous().get("/ledger/vkey").body().strip());
        assertThat(witness.name()).isEqualTo(log.name() + "/witness");
        assertThat(witness.keyId()).isNotEqualTo(log.keyId());
    }
}
