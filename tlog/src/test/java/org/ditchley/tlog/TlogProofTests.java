package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** c2sp.org/tlog-proof receipts: round trip, offline verification, and every corruption fails. */
class TlogProofTests {

    static final NoteSigner LOG = NoteSigner.generate("ditchley.example/log");
    static final Cosigner WITNESS = Cosigner.generate("peer.example/witness");

    static byte[] receipt(int index, int size) throws Exception {
        MerkleTree tree = MerkleTreeTests.tree(size);
        Checkpoint cp = new Checkpoint(LOG.name(), size, tree.root(size));
        Note logged = Note.open(Note.sign(cp.text(), LOG), List.of(LOG.verifier()));
        byte[] cosigned = new Note(logged.text(), logged.signatures(), List.of(WITNESS.cosign(cp, 1_700_000_000L))).bytes();
        return new TlogProof("extra".getBytes(StandardCharsets.UTF_8), index, tree.inclusionProof(index, size), cosigned).bytes();
    }

    static Hash leaf(int i) {
        return Rfc6962.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReceiptVerifiesOfflineWithTheLogKeyAndAWitnessQuorum() throws Exception {
        byte[] bytes = receipt(11, 29);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("c2sp.org/tlog-proof@v1\nextra ZXh0cmE=\nindex 11\n");
        TlogProof proof = TlogProof.parse(bytes);
        assertThat(proof.bytes()).isEqualTo(bytes);
        Checkpoint cp = proof.verify(leaf(11), LOG.verifier(), List.of(WITNESS.verifier()), 1);
        assertThat(cp.size()).isEqualTo(29);
        assertThatThrownBy(() -> proof.verify(leaf(12), LOG.verifier(), List.of(), 0)).isInstanceOf(ProofException.class);
        assertThatThrownBy(() -> proof.verify(leaf(11), LOG.verifier(), List.of(Cosigner.generate("x").verifier()), 1))
                .hasMessageContaining("0 valid cosignatures of the 1 required");
    }

    @Test
    void everyTruncationAndByteChangeOfAReceiptFails() throws Exception {
        byte[] bytes = receipt(5, 9);
        Hash leaf = leaf(5);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> TlogProof.parse(truncated).verify(leaf, LOG.verifier(), List.of(WITNESS.verifier()), 1))
                    .as("truncated to %d", cut).isInstanceOf(TlogException.class);
        }
        // The extra data is unauthenticated by design (c2sp.org/tlog-proof): changes start after it.
        int extraLine = new String(bytes, StandardCharsets.UTF_8).indexOf("\nindex");
        for (int i = extraLine; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= 0x01;
            assertThatThrownBy(() -> TlogProof.parse(changed).verify(leaf, LOG.verifier(), List.of(WITNESS.verifier()), 1))
                    .as("byte %d", i).isInstanceOf(TlogException.class);
        }
    }
}
