package org.ditchley.fingerprint;

/** A model file or directory that breaks its format; the message names the file and the problem. */
public class MalformedModelException extends FingerprintException {

    public MalformedModelException(String message) {
        super(message);
    }

    public MalformedModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
