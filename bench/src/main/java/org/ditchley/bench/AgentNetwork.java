package org.ditchley.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many agents' HTTP/1.1 connections to the node on one selector thread: each agent's order stream
 * (a chunked {@code text/event-stream} response read as it arrives) and the requests the agents
 * send, each written the moment it is handed over, as independent agents would, on a kept-alive
 * connection of its own. A thread per request would cap how many agents send at once and spend
 * the driver's CPU (on the machine the node runs on) switching between them.
 *
 * <p>Requests share a pool of idle kept-alive connections, opening a new one whenever none is
 * idle, up to {@code maxConnections} (the process's file descriptors are the limit; requests
 * beyond it wait for a connection). A request whose connection the node had closed is sent once
 * more on a new one. The thread is a daemon: the network lasts as long as the driver.
 */
final class AgentNetwork {

    /** What the order streams deliver, on the network's thread: keep it short. */
    interface StreamListener {
        /** A comment line: the node's first write on a stream, and its keep-alives. */
        void comment(int stream);

        /** A complete event. */
        void event(int stream, String name, String data);

        /** The stream ended or failed, or was cut. */
        void closed(int stream);
    }

    /** An HTTP response: its status and body. */
    record Response(int status, byte[] body) {
    }

    private final InetSocketAddress node;
    private final int maxConnections;
    private final StreamListener listener;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Connection> streams = new ConcurrentHashMap<>();
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final Deque<Request> waiting = new ArrayDeque<>();
    private int requestConnections;
    private final java.util.concurrent.atomic.AtomicLong requestConnectionsOpened = new java.util.concurrent.atomic.AtomicLong();

    AgentNetwork(InetSocketAddress node, int maxConnections, StreamListener listener) throws IOException {
        this.node = node;
        this.maxConnections = maxConnections;
        this.listener = listener;
        this.selector = Selector.open();
        Thread thread = new Thread(this::run, "agent-network");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens stream {@code id} by sending {@code request} (a complete GET) on a connection of its own. */
    void openStream(int id, byte[] request) {
        run(() -> {
            Connection c = connect(new Connection(id, null));
            if (c != null) {
                streams.put(id, c);
                c.write(ByteBuffer.wrap(request));
            }
        });
    }

    /** Closes stream {@code id}: its agent no longer hears anything. */
    void cut(int id) {
        run(() -> {
            Connection c = streams.remove(id);
            if (c != null) {
                c.close();
            }
        });
    }

    /** Sends {@code request} (complete, with its body); the future completes with the node's answer. */
    CompletableFuture<Response> send(byte[] request) {
        Request r = new Request(request);
        run(() -> dispatch(r));
        return r.done;
    }

    /** How many connections requests have opened so far, each a new TCP connection the node accepted. */
    long connectionsOpened() {
        return requestConnectionsOpened.get();
    }

    private void run(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    private void dispatch(Request r) {
        Connection c = idle.pollFirst();
        if (c == null) {
            if (requestConnections >= maxConnections) {
                waiting.addLast(r);
                return;
            }
            c = connect(new Connection(-1, r));
            if (c == null) {
                r.done.completeExceptionally(new IOException("cannot connect to " + node));
                return;
            }
            requestConnections++;
            requestConnectionsOpened.incrementAndGet();
        }
        c.request = r;
        c.write(ByteBuffer.wrap(r.bytes));
    }

    private Connection connect(Connection c) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.channel = ch;
            if (ch.connect(node)) {
                c.key = ch.register(selector, 0, c);
                c.connected = true;
            } else {
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
            return c;
        } catch (IOException e) {
            return null;
        }
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        byte[] bytes = new byte[buffer.capacity()];
        while (true) {
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run();
            }
            try {
                selector.select(1000);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection c = (Connection) key.attachment();
                try {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isConnectable()) {
                        c.channel.finishConnect();
                        c.connected = true;
                        c.interest();
                    }
                    if (key.isValid() && key.isWritable()) {
                        c.flush();
                    }
                    if (key.isValid() && key.isReadable()) {
                        buffer.clear();
                        int n = c.channel.read(buffer);
                        if (n < 0) {
                            c.failed(new IOException("connection closed by the node"));
                            continue;
                        }
                        buffer.flip();
                        buffer.get(bytes, 0, n);
                        c.reader.feed(bytes, 0, n);
                    }
                } catch (IOException | RuntimeException e) {
                    c.failed(e);
                }
            }
        }
    }

    private static final class Request {
        final byte[] bytes;
        final CompletableFuture<Response> done = new CompletableFuture<>();
        int attempts;

        Request(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    /** One connection: an order stream (stream >= 0) or a request connection, idle or carrying {@link #request}. */
    private final class Connection implements HttpResponseReader.Handler {
        final int stream;
        Request request;
        SocketChannel channel;
        SelectionKey key;
        boolean connected;
        ByteBuffer out;
        final HttpResponseReader reader = new HttpResponseReader(this);
        final SseReader events;
        final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

        Connection(int stream, Request request) {
            this.stream = stream;
            this.request = request;
            this.events = stream >= 0 ? new SseReader((name, data) -> listener.event(stream, name, data), () -> listener.comment(stream)) : null;
        }

        void write(ByteBuffer bytes) {
            out = bytes;
            interest();
        }

        void interest() {
            if (!connected || !key.isValid()) {
                return;
            }
            key.interestOps(out != null && out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
        }

        void flush() throws IOException {
            if (out != null) {
                channel.write(out);
                if (!out.hasRemaining()) {
                    out = null;
                }
            }
            interest();
        }

        @Override
        public void head(int status) {
            body.reset();
        }

        @Override
        public void body(byte[] bytes, int offset, int length) {
            if (events != null) {
                events.feed(bytes, offset, length);
            } else {
                body.write(bytes, offset, length);
            }
        }

        @Override
        public void end(int status, boolean close) {
            if (stream >= 0) {
                failed(new IOException("order stream ended"));
                return;
            }
            Request r = request;
            request = null;
            if (close) {
                close();
            } else {
                idle.addLast(this);
            }
            r.done.complete(new Response(status, body.toByteArray()));
            Request next = waiting.pollFirst();
            if (next != null) {
                dispatch(next);
            }
        }

        void failed(Exception e) {
            close();
            if (stream >= 0) {
                if (streams.remove(stream, this)) {
                    listener.closed(stream);
                }
                return;
            }
            idle.remove(this);
            Request r = request;
            request = null;
            if (r != null) {
                if (++r.attempts < 2) {
                    dispatch(r);
                } else {
                    r.done.completeExceptionally(e);
                }
            }
        }

        void close() {
            boolean wasOpen = channel.isOpen();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (stream < 0 && wasOpen) {
                requestConnections--;
                Request next = waiting.pollFirst();
                if (next != null) {
                    dispatch(next);
                }
            }
        }
    }
}
