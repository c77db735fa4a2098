package org.ditchley.agent;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lines of a streamed HTTP response body, read with an idle timeout: {@link #next} waits at
 * most {@code idle} for a line and otherwise gives up on the connection. The JDK's blocking body
 * streams have no read timeout, and a stream through a dead NAT entry or a hung proxy would
 * otherwise go quiet forever while the agent believes it is listening. One line is requested at
 * a time, so a fast sender cannot fill memory.
 */
final class LineFeed implements Flow.Subscriber<String> {

    private static final Object END = new Object();

    private final Duration idle;
    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    LineFeed(Duration idle) {
        this.idle = idle;
    }

    /** The handler to send a request with: records the status, then feeds the body's lines here. */
    HttpResponse.BodyHandler<Void> handler() {
        return info -> {
            status.complete(info.statusCode());
            return HttpResponse.BodySubscribers.fromLineSubscriber(this);
        };
    }

    /** Ties the feed to the exchange, so that a failure before any line (refused connection) ends it too. */
    void follow(CompletableFuture<?> exchange) {
        exchange.whenComplete((r, e) -> {
            if (e != null) {
                status.completeExceptionally(e);
                lines.add(e);
            }
        });
    }

    /** The response's status code, waiting at most the idle timeout for the headers. */
    int status() throws IOException, InterruptedException {
        try {
            return status.get(idle.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            cancel();
            throw new IOException("no response headers within " + idle.toSeconds() + " s");
        }
    }

    /** The next line, or null at the end of the body; an IOException after {@code idle} without one. */
    String next() throws IOException, InterruptedException {
        Object o = lines.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
        if (o == null) {
            cancel();
            throw new IOException("nothing received for " + idle.toSeconds() + " s");
        }
        if (o == END) {
            return null;
        }
        if (o instanceof Throwable t) {
            throw t instanceof IOException io ? io : new IOException(t);
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.request(1);
        }
        return (String) o;
    }

    /** Lets go of the connection. */
    void cancel() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(String line) {
        lines.add(line);
    }

    @Override
    public void onError(Throwable t) {
        lines.add(t);
    }

    @Override
    public void onComplete() {
        lines.add(END);
    }

    static List<String> drain(LineFeed feed, int max) {
        List<String> out = new java.util.ArrayList<>();
        try {
            String line;
            while (out.size() < max && (line = feed.next()) != null) {
                out.add(line);
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        return out;
    }
}
