package org.ditchley.agent;

/** A message of the agent protocol that does not parse, is not signed by the key it must be, or does not apply. */
public class ProtocolException extends Exception {

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
