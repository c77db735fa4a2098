package org.ditchley.termination.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.ditchley.platform.RequestChunks;
import org.eclipse.jetty.server.Request;

/**
 * A Jetty request's whole body, of at most {@code max} bytes, read as it arrives
 * ({@link RequestChunks}). A body that declares its length is read into an array of exactly that
 * length; one sent in chunks grows an array up to {@code max}.
 */
final class BoundedBody implements RequestChunks.Reader {

    /** What became of the body: exactly one of these is called, once. */
    interface Outcome {
        /** The whole body, of at most {@code max} bytes. */
        void read(byte[] body);

        /** The body is longer than {@code max} bytes; what is left of it is unread. */
        void tooLarge();

        /** The connection failed before the body ended. */
        void failed(Throwable failure);
    }

    private final int max;
    private final Outcome outcome;
    private byte[] body;
    private int length;

    private BoundedBody(long declared, int max, Outcome outcome) {
        this.max = max;
        this.outcome = outcome;
        this.body = new byte[declared >= 0 && declared <= max ? (int) declared : Math.min(max, 4096)];
    }

    /**
     * Reads {@code request}'s body and tells {@code outcome}; {@code request} must declare no
     * length over {@code max} (refuse such a request before reading it).
     */
    static void read(Request request, int max, Outcome outcome) {
        RequestChunks.read(request, new BoundedBody(request.getLength(), max, outcome));
    }

    @Override
    public boolean take(ByteBuffer bytes, boolean last) {
        int n = bytes.remaining();
        if (n > max - length) {
            outcome.tooLarge();
            return false;
        }
        if (n > body.length - length) {
            body = Arrays.copyOf(body, Math.min(max, Math.max(length + n, 2 * body.length)));
        }
        bytes.get(body, length, n);
        length += n;
        if (last) {
            outcome.read(length == body.length ? body : Arrays.copyOf(body, length));
            return false;
        }
        return true;
    }

    @Override
    public void failed(Throwable failure) {
        outcome.failed(failure);
    }
}
