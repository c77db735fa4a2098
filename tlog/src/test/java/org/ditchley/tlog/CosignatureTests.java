package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** c2sp.org/tlog-cosignature: cosigned checkpoints verify, and every change to one fails. */
class CosignatureTests {

    static final NoteSigner LOG = NoteSigner.generate("ditchley.example/log");
    static final Checkpoint CHECKPOINT = new Checkpoint("ditchley.example/log", 5, MerkleTreeTests.tree(5).root(5));

    @Test
    void aCosignedCheckpointCarriesBothSignaturesAndTheTimestamp() throws Exception {
        Cosigner witness = Cosigner.generate("witness.example/w1");
        Note.Signature cosignature = witness.cosign(CHECKPOINT, 1_679_315_147L);
        Note logged = Note.open(Note.sign(CHECKPOINT.text(), LOG), List.of(LOG.verifier()));
        byte[] cosigned = new Note(logged.text(), logged.signatures(), List.of(cosignature)).bytes();

        Note opened = Note.open(cosigned, List.of(LOG.verifier()));
        Checkpoint checkpoint = Checkpoint.parse(opened.text());
        CosignatureVerifier verifier = CosignatureVerifier.parse(witness.verifier().toString());
        Note.Signature line = opened.unverified().stream().filter(verifier::matches).findFirst().orElseThrow();
        assertThat(verifier.verify(checkpoint, line)).isEqualTo(1_679_315_147L);
    }

    @Test
    void aCosignatureIsForOneCheckpointAndOneTime() {
        Cosigner witness = Cosigner.generate("witness.example/w1");
        Note.Signature cosignature = witness.cosign(CHECKPOINT, 1000);
        Checkpoint other = new Checkpoint("ditchley.example/log", 6, MerkleTreeTests.tree(6).root(6));
        assertThatThrownBy(() -> witness.verifier().verify(other, cosignature)).hasMessageContaining("does not verify");
        for (int i = 0; i < cosignature.signature().length; i++) {
            byte[] changed = cosignature.signature();
            changed[i] ^= 0x01;
            Note.Signature forged = new Note.Signature(cosignature.name(), cosignature.keyId(), changed);
            assertThatThrownBy(() -> witness.verifier().verify(CHECKPOINT, forged)).isInstanceOf(TlogException.class);
        }
        Note.Signature truncated = new Note.Signature(cosignature.name(), cosignature.keyId(),
                java.util.Arrays.copyOf(cosignature.signature(), 71));
        assertThatThrownBy(() -> witness.verifier().verify(CHECKPOINT, truncated)).hasMessageContaining("72 bytes");
    }

    @Test
    void cosignerAndNoteKeysAreDistinctTypes() throws Exception {
        Cosigner witness = Cosigner.generate("witness.example/w1");
        assertThat(witness.verifier().toString().split("\\+", 3)[2]).startsWith("B");
        assertThatThrownBy(() -> NoteVerifier.parse(witness.verifier().toString())).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> CosignatureVerifier.parse(LOG.verifier().toString())).isInstanceOf(MalformedNoteException.class);
        Note.Signature byLog = new Note.Signature("witness.example/w1", 0, new byte[72]);
        assertThatThrownBy(() -> witness.verifier().verify(CHECKPOINT, byLog)).hasMessageContaining("is not by cosigner");
    }
}
