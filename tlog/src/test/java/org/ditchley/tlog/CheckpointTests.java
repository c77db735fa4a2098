package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** c2sp.org/tlog-checkpoint texts and signed checkpoints. */
class CheckpointTests {

    static final Hash ROOT = MerkleTreeTests.tree(3).root(3);

    @Test
    void roundTripsWithExtensions() throws Exception {
        Checkpoint c = new Checkpoint("ditchley.example/log", 3, ROOT, List.of("extension one"));
        assertThat(c.text()).isEqualTo("ditchley.example/log\n3\n" + ROOT.base64() + "\nextension one\n");
        assertThat(Checkpoint.parse(c.text())).isEqualTo(c);
    }

    @Test
    void aSignedCheckpointOpensOnlyWithTheLogKeyAndItsOrigin() throws Exception {
        NoteSigner log = NoteSigner.generate("ditchley.example/log");
        Checkpoint c = new Checkpoint("ditchley.example/log", 3, ROOT);
        assertThat(Checkpoint.open(Note.sign(c.text(), log), log.verifier())).isEqualTo(c);
        NoteSigner impostor = NoteSigner.generate("other.example/log");
        assertThatThrownBy(() -> Checkpoint.open(Note.sign(new Checkpoint("ditchley.example/log", 3, ROOT).text(), impostor),
                log.verifier())).isInstanceOf(UnverifiedNoteException.class);
        assertThatThrownBy(() -> Checkpoint.open(Note.sign(new Checkpoint("ditchley.example/log", 3, ROOT).text(), impostor),
                impostor.verifier())).hasMessageContaining("not the log's key name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "origin\n", "origin\n3\n", "\n3\nROOT\n", "origin\n03\nROOT\n", "origin\n-1\nROOT\n",
            "origin\n99999999999999999999\nROOT\n", "origin\n3\nnot-base64\n", "origin\n3\nROOT", "origin\n3\nROOT\n\n",
            "origin\n3\nAAAA\n", "origin\n 3\nROOT\n"})
    void malformedTextsAreRefused(String text) {
        assertThatThrownBy(() -> Checkpoint.parse(text.replace("ROOT", ROOT.base64()))).isInstanceOf(MalformedNoteException.class);
    }
}
