package org.ditchley.termination.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One agent's open stream of stop orders: server-sent events (WHATWG HTML, "Server-sent events",
 * the {@code text/event-stream} format) written on a Jetty response that stays open. Frames are
 * encoded once by the caller ({@link #event}, {@link #comment}), so that pushing one order to
 * every stream writes the same bytes to each, and every frame, an order or a heartbeat, goes
 * through the same few lines. A frame is written whole, one at a time; one that cannot be written
 * ends the stream, as does the stream's time running out or the connection failing, and then
 * {@code onEnd} is told once.
 */
final class OrderStream {

    private final Response response;
    private final Callback done;
    private final Consumer<OrderStream> onEnd;
    private final Scheduler.Task expiry;
    private boolean ended;

    /**
     * Takes over {@code response} to {@code request}, whose status and content type must be set and
     * nothing written yet; {@code done} is the handler's callback, completed when the stream ends,
     * after {@code lasting} unless before.
     */
    OrderStream(Request request, Response response, Callback done, Duration lasting, Consumer<OrderStream> onEnd) {
        this.response = response;
        this.done = done;
        this.onEnd = onEnd;
        request.addFailureListener(failure -> end(failure));
        this.expiry = request.getComponents().getScheduler().schedule(this::end, lasting.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** An event frame: {@code event:name}, one {@code data:} line, a blank line. {@code data} must hold no line break. */
    static byte[] event(String name, String data) {
        return ("event:" + name + "\ndata:" + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A comment frame, which agents read as a sign of life: {@code :text} and a blank line. */
    static byte[] comment(String text) {
        return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code frame} and waits until the connection has taken it; false, and the stream ends,
     * if it could not be written or had ended.
     */
    synchronized boolean send(byte[] frame) {
        if (ended) {
            return false;
        }
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(frame), written);
            written.block();
            return true;
        } catch (Exception e) {
            end(e);
            return false;
        }
    }

    /**
     * Gives the stream up if nothing has been written to it yet: true if so, and the caller then
     * answers the request itself; false if it had ended, or had begun (it is then ended as failed
     * by {@code cause}).
     */
    synchronized boolean abandon(Throwable cause) {
        if (ended) {
            return false;
        }
        if (response.isCommitted()) {
            end(cause);
            return false;
        }
        ended = true;
        expiry.cancel();
        return true;
    }

    /** Ends the stream (the response completes) if it has not ended. */
    void end() {
        end(null);
    }

    private void end(Throwable failure) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        expiry.cancel();
        if (failure == null) {
            response.write(true, null, done);
        } else {
            done.failed(failure);
        }
        onEnd.accept(this);
    }
}
