package org.ditchley.agent;

import java.util.List;
import org.ditchley.tlog.Note;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;
import org.ditchley.tlog.TlogException;

/** Signing and opening the protocol's notes (c2sp.org/signed-note, Ed25519). */
public final class Signed {

    private Signed() {
    }

    /** {@code text} signed by {@code key}, as the bytes of a signed note. */
    public static byte[] sign(String text, NoteSigner key) {
        return Note.sign(text, key);
    }

    /**
     * The text of {@code note}, which must carry a valid signature by {@code key}; signatures by
     * other keys are ignored.
     *
     * @throws ProtocolException naming why it is refused: malformed, or not signed by {@code key}
     */
    public static String open(byte[] note, NoteVerifier key) throws ProtocolException {
        Note opened;
        try {
            opened = Note.open(note, List.of(key));
        } catch (TlogException e) {
            throw new ProtocolException("note refused: " + e.getMessage(), e);
        }
        if (opened.signatures().isEmpty()) {
            throw new ProtocolException("note is not signed by " + key.name());
        }
        return opened.text();
    }
}
