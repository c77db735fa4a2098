package org.ditchley.tlog;

/** Base of this library's failures: a proof, note or checkpoint that does not verify or parse. */
public class TlogException extends Exception {

    public TlogException(String message) {
        super(message);
    }

    public TlogException(String message, Throwable cause) {
        super(message, cause);
    }
}
