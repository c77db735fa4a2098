package org.ditchley.tlog;

/** A note, key, checkpoint or tile path that does not parse; the message says what is wrong. */
public class MalformedNoteException extends TlogException {

    public MalformedNoteException(String message) {
        super(message);
    }
}
