package org.ditchley.platform;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a Jetty request's body chunk by chunk as it arrives, for handlers in front of the servlet
 * context: a thread takes what has arrived and, when nothing has, asks to be called again
 * ({@link Request#demand}) instead of waiting, so a slow sender holds no thread.
 */
public final class RequestChunks implements Runnable {

    /** Takes the chunks of one body, in order. */
    public interface Reader {

        /**
         * Takes the bytes of the next chunk (valid only during the call), {@code last} if the body
         * ends with it; returns whether to read on. After the last chunk nothing more is read.
         */
        boolean take(ByteBuffer bytes, boolean last);

        /** The connection failed before the body ended; nothing more is read. */
        void failed(Throwable failure);
    }

    private final Request request;
    private final Reader reader;

    private RequestChunks(Request request, Reader reader) {
        this.request = request;
        this.reader = reader;
    }

    /** Feeds {@code request}'s body to {@code reader} until it ends, fails, or {@code reader} stops. */
    public static void read(Request request, Reader reader) {
        new RequestChunks(request, reader).run();
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
                reader.failed(chunk.getFailure());
                return;
            }
            boolean more;
            try {
                more = reader.take(chunk.getByteBuffer(), chunk.isLast()) && !chunk.isLast();
            } finally {
                chunk.release();
            }
            if (!more) {
                return;
            }
        }
    }
}
