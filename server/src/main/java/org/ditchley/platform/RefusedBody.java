package org.ditchley.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * What follows a refusal sent before the request body was read (413, and the like): the answer
 * is flushed, then up to {@value #SWALLOW} bytes of the body still coming are read and dropped.
 * A client sends its whole body before it reads the answer; if the server closed the connection
 * with the body still arriving, the kernel would reset it, and a reset discards the answer the
 * client had not read yet. A body within the bound is drained and the connection may be kept;
 * beyond it the client has had its answer for as long as the bound took to arrive.
 */
public final class RefusedBody {

    /** Bytes of a refused body read and dropped at most, as Tomcat's {@code maxSwallowSize}. */
    public static final long SWALLOW = 2 * 1024 * 1024;

    private RefusedBody() {
    }

    /** Flushes the answer already written to {@code response}, then drops up to {@value #SWALLOW} bytes of the request's body. */
    public static void drain(HttpServletRequest request, HttpServletResponse response) {
        try {
            response.flushBuffer();
            InputStream body = request.getInputStream();
            byte[] scratch = new byte[8192];
            long left = SWALLOW;
            for (int n; left > 0 && (n = body.read(scratch, 0, (int) Math.min(scratch.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // the client has gone, or the body was taken as a reader: nothing more to do for it
        }
    }

    /**
     * For a Jetty handler whose answer has been written: drops up to {@value #SWALLOW} bytes of
     * {@code request}'s body as they arrive, without holding a thread while none do, then
     * succeeds {@code done} (the handler's callback), at the body's end, the bound, or a failure
     * of the connection.
     */
    public static void drain(Request request, Callback done) {
        RequestChunks.read(request, new RequestChunks.Reader() {
            private long left = SWALLOW;

            @Override
            public boolean take(ByteBuffer bytes, boolean last) {
                left -= bytes.remaining();
                if (last || left <= 0) {
                    done.succeeded();
                    return false;
                }
                return true;
            }

            @Override
            public void failed(Throwable failure) {
                done.succeeded();
            }
        });
    }
}
