package org.ditchley.fingerprint;

/** The base of this library's checked exceptions. */
public class FingerprintException extends Exception {

    public FingerprintException(String message) {
        super(message);
    }

    public FingerprintException(String message, Throwable cause) {
        super(message, cause);
    }
}
