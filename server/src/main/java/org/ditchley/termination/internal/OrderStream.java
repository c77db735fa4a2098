package org.ditchley.termination.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One agent's open stream of stop orders: server-sent events (WHATWG HTML, "Server-sent events",
 * the {@code text/event-stream} format) written on an asynchronous servlet response. Frames are
 * encoded once by the caller ({@link #event}, {@link #comment}), so that pushing one order to
 * every stream writes the same bytes to each, and every frame, an order or a heartbeat, goes
 * through the same few lines. A frame is written whole and flushed; one that cannot be written
 * ends the stream, as does the stream's time running out or the connection failing, and then
 * {@code onEnd} is told once.
 */
final class OrderStream implements AsyncListener {

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Consumer<OrderStream> onEnd;
    private boolean ended;

    /**
     * Takes over {@code async}, whose response must have its status and content type set and
     * nothing written yet; the stream ends after {@code lasting} unless it ends before.
     */
    OrderStream(AsyncContext async, Duration lasting, Consumer<OrderStream> onEnd) throws IOException {
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.onEnd = onEnd;
        async.setTimeout(lasting.toMillis());
        async.addListener(this);
    }

    /** An event frame: {@code event:name}, one {@code data:} line, a blank line. {@code data} must hold no line break. */
    static byte[] event(String name, String data) {
        return ("event:" + name + "\ndata:" + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A comment frame, which agents read as a sign of life: {@code :text} and a blank line. */
    static byte[] comment(String text) {
        return (":" + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes and flushes {@code frame}; false, and the stream ends, if it could not be written or had ended. */
    synchronized boolean send(byte[] frame) {
        if (ended) {
            return false;
        }
        try {
            out.write(frame);
            out.flush();
            return true;
        } catch (IOException | IllegalStateException e) {
            end();
            return false;
        }
    }

    /** Ends the stream (the response completes) if it has not ended. */
    void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it first
        }
        onEnd.accept(this);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        boolean first;
        synchronized (this) {
            first = !ended;
            ended = true;
        }
        if (first) {
            onEnd.accept(this);
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
