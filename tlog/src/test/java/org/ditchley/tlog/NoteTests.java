package org.ditchley.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** c2sp.org/signed-note: published known answers, round trips and every corruption. */
class NoteTests {

    static final String NEUMANN_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";

    @Test
    void goSumdbVectorSignsToTheKnownSignature() throws Exception {
        NoteSigner signer = NoteSigner.parse("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
        String note = new String(Note.sign(NEUMANN_TEXT, signer), StandardCharsets.UTF_8);
        assertThat(note).isEqualTo(NEUMANN_TEXT + "\n"
                + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n");
        assertThat(signer.verifier().toString()).startsWith("PeterNeumann+c74f20a3+");
        assertThat(signer.secret()).isEqualTo("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
    }

    @Test
    void c2spExampleVerifies() throws Exception {
        NoteVerifier verifier = NoteVerifier.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        byte[] note = ("This is an example message.\n\n"
                + "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")
                .getBytes(StandardCharsets.UTF_8);
        Note opened = Note.open(note, List.of(verifier));
        assertThat(opened.text()).isEqualTo("This is an example message.\n");
        assertThat(opened.signatures()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("example.com/foo"));
        assertThat(verifier.toString()).isEqualTo("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    }

    @Test
    void severalSignaturesUnknownKeysAreKeptAsUnverified() throws Exception {
        NoteSigner log = NoteSigner.generate("log.example");
        NoteSigner witness = NoteSigner.generate("witness.example");
        byte[] note = Note.sign("hello\n", log, witness);
        Note opened = Note.open(note, List.of(log.verifier()));
        assertThat(opened.signatures()).extracting(Note.Signature::name).containsExactly("log.example");
        assertThat(opened.unverified()).extracting(Note.Signature::name).containsExactly("witness.example");
        assertThat(Note.open(opened.bytes(), List.of(log.verifier(), witness.verifier())).signatures()).hasSize(2);
    }

    @Test
    void aNoteSignedByNoKnownKeyCarriesTheParsedNote() {
        NoteSigner other = NoteSigner.generate("other.example");
        byte[] note = Note.sign("text\n", other);
        assertThatThrownBy(() -> Note.open(note, List.of(NoteSigner.generate("mine").verifier())))
                .isInstanceOfSatisfying(UnverifiedNoteException.class, e -> {
                    assertThat(e.note().text()).isEqualTo("text\n");
                    assertThat(e.getMessage()).contains("other.example");
                });
    }

    @Test
    void everyTruncationAndEveryByteChangeOfASignedNoteIsRejected() {
        NoteSigner signer = NoteSigner.generate("log.example");
        byte[] note = Note.sign("log.example\n5\n" + MerkleTreeTests.tree(5).root(5).base64() + "\n", signer);
        List<NoteVerifier> keys = List.of(signer.verifier());
        for (int cut = 0; cut < note.length; cut++) {
            byte[] truncated = Arrays.copyOf(note, cut);
            assertThatThrownBy(() -> Note.open(truncated, keys)).as("truncated to %d bytes", cut).isInstanceOf(TlogException.class);
        }
        for (int i = 0; i < note.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] changed = note.clone();
                changed[i] ^= (byte) bit;
                assertThatThrownBy(() -> Note.open(changed, keys)).as("byte %d ^ %x", i, bit).isInstanceOf(TlogException.class);
            }
        }
    }

    @Test
    void malformedKeysAreRefusedWithAReason() {
        assertThatThrownBy(() -> NoteVerifier.parse("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> NoteVerifier.parse("name+00000000+AQ==")).hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> NoteVerifier.parse("just-a-name")).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> NoteSigner.parse("PRIVATE+KEY+x+00000000+!!!")).hasMessageContaining("base64");
    }

    @Test
    void textMustEndInANewlineAndHoldNoControlCharacters() {
        NoteSigner signer = NoteSigner.generate("k");
        assertThatThrownBy(() -> Note.sign("no newline", signer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Note.sign("tab\there\n", signer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Note.open(new byte[Note.MAX_SIZE + 1], List.of(signer.verifier())))
                .isInstanceOf(MalformedNoteException.class);
    }
}
