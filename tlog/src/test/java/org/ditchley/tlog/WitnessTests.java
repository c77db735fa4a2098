package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** c2sp.org/tlog-witness add-checkpoint: every status the spec names. */
class WitnessTests {

    static final NoteSigner LOG = NoteSigner.generate("ditchley.example/log");
    final MerkleTree tree = MerkleTreeTests.tree(40);
    final Cosigner cosigner = Cosigner.generate("peer.example/witness");
    final Map<String, Checkpoint> latest = new HashMap<>();
    final Witness witness = new Witness(cosigner, Map.of(LOG.name(), LOG.verifier()), new Witness.State() {
        @Override
        public Optional<Checkpoint> latest(String origin) {
            return Optional.ofNullable(latest.get(origin));
        }

        @Override
        public boolean compareAndSet(String origin, long expectedSize, Checkpoint next) {
            long current = latest.containsKey(origin) ? latest.get(origin).size() : 0;
            if (current != expectedSize) {
                return false;
            }
            latest.put(origin, next);
            return true;
        }
    }, Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

    Checkpoint checkpoint(int size) {
        return new Checkpoint(LOG.name(), size, tree.root(size));
    }

    byte[] request(long old, List<Hash> proof, Checkpoint cp, NoteSigner signer) {
        return new WitnessRequest(old, proof, Note.sign(cp.text(), signer)).bytes();
    }

    @Test
    void cosignsAGrowingLogAndRefusesEverythingElse() throws Exception {
        Witness.Response first = witness.addCheckpoint(request(0, List.of(), checkpoint(10), LOG));
        assertThat(first.status()).isEqualTo(200);
        Note.Signature line = Note.open((new String(Note.sign(checkpoint(10).text(), LOG), StandardCharsets.UTF_8)
                + new String(first.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), List.of(LOG.verifier()))
                .unverified().get(0);
        assertThat(cosigner.verifier().verify(checkpoint(10), line)).isEqualTo(1_700_000_000L);

        Witness.Response stale = witness.addCheckpoint(request(0, List.of(), checkpoint(12), LOG));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.contentType()).isEqualTo("text/x.tlog.size");
        assertThat(new String(stale.body(), StandardCharsets.US_ASCII)).isEqualTo("10\n");

        assertThat(witness.addCheckpoint(request(10, tree.consistencyProof(10, 30), checkpoint(30), LOG)).status()).isEqualTo(200);
        assertThat(witness.addCheckpoint(request(30, tree.consistencyProof(20, 35), checkpoint(35), LOG)).status()).isEqualTo(422);
        assertThat(witness.addCheckpoint(request(30, List.of(), checkpoint(30), LOG)).status()).isEqualTo(200);
        Checkpoint fork = new Checkpoint(LOG.name(), 30, tree.root(29));
        assertThat(witness.addCheckpoint(request(30, List.of(), fork, LOG)).status()).isEqualTo(409);
        assertThat(witness.addCheckpoint(request(31, List.of(), checkpoint(30), LOG)).status()).isEqualTo(400);
    }

    @Test
    void unknownLogsForgedSignaturesAndGarbage() {
        NoteSigner stranger = NoteSigner.generate("stranger.example/log");
        assertThat(witness.addCheckpoint(request(0, List.of(), new Checkpoint(stranger.name(), 3, tree.root(3)), stranger)).status())
                .isEqualTo(404);
        NoteSigner impostor = NoteSigner.generate(LOG.name());
        assertThat(witness.addCheckpoint(request(0, List.of(), checkpoint(3), impostor)).status()).isEqualTo(403);
        assertThat(witness.addCheckpoint("old 0\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(witness.addCheckpoint("old -1\n\nx\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(witness.addCheckpoint(("old 0\n" + "AAAA\n".repeat(64) + "\n").getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(400);
        assertThat(latest).isEmpty();
    }
}
