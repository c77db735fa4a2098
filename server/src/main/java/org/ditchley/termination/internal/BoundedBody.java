package org.ditchley.termination.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a Jetty request's whole body, of at most {@code max} bytes, as it arrives: a thread reads
 * what is there and, when nothing is, asks to be called again ({@link Request#demand}) instead of
 * waiting. A body that declares its length is read into an array of exactly that length; one
 * sent in chunks grows an array up to {@code max}.
 */
final class BoundedBody implements Runnable {

    /** What became of the body: exactly one of these is called, once. */
    interface Outcome {
        /** The whole body, of at most {@code max} bytes. */
        void read(byte[] body);

        /** The body is longer than {@code max} bytes; what is left of it is unread. */
        void tooLarge();

        /** The connection failed before the body ended. */
        void failed(Throwable failure);
    }

    private final Request request;
    private final int max;
    private final Outcome outcome;
    private byte[] body;
    private int length;

    private BoundedBody(Request request, int max, Outcome outcome) {
        this.request = request;
        this.max = max;
        this.outcome = outcome;
        long declared = request.getLength();
        this.body = new byte[declared >= 0 && declared <= max ? (int) declared : Math.min(max, 4096)];
    }

    /**
     * Reads {@code request}'s body and tells {@code outcome}; {@code request} must declare no
     * length over {@code max} (refuse such a request before reading it).
     */
    static void read(Request request, int max, Outcome outcome) {
        new BoundedBody(request, max, outcome).run();
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                outcome.failed(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            int n = bytes.remaining();
            boolean last = chunk.isLast();
            if (n > max - length) {
                chunk.release();
                outcome.tooLarge();
                return;
            }
            if (n > body.length - length) {
                body = Arrays.copyOf(body, Math.min(max, Math.max(length + n, 2 * body.length)));
            }
            bytes.get(body, length, n);
            length += n;
            chunk.release();
            if (last) {
                outcome.read(length == body.length ? body : Arrays.copyOf(body, length));
                return;
            }
        }
    }
}
