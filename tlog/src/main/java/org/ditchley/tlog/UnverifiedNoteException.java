package org.ditchley.tlog;

/**
 * A note that parses but carries no signature by any of the given keys; {@link #note()} is the
 * parsed note, so the caller can see who did sign it.
 */
public class UnverifiedNoteException extends TlogException {

    private final Note note;

    public UnverifiedNoteException(Note note) {
        super("note has no signature by a known key (signed by: "
                + note.unverified().stream().map(s -> s.name() + "+" + NoteKeys.hex(s.keyId())).toList() + ")");
        this.note = note;
    }

    public Note note() {
        return note;
    }
}
