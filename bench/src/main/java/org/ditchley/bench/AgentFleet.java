package org.ditchley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ditchley.agent.HaltReceipt;
import org.ditchley.agent.License;
import org.ditchley.agent.LicenseRequest;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.Signed;
import org.ditchley.agent.StopOrder;
import org.ditchley.agent.StreamAuth;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;

/**
 * Many agents in one process, each a real HTTP client of the node: it signs its license
 * requests and checks every license it gets (signature, deployment, nonce, sequence), keeps its
 * own stream of stop orders open, and on a genuine order covering it signs and sends a halt
 * receipt. Streams and receipts go over an {@link AgentNetwork}, one selector thread for all agents;
 * license requests share an HTTP client, bounded by a semaphore.
 */
final class AgentFleet {

    record Member(UUID deployment, NoteSigner key) {
    }

    private final URI node;
    private final NoteVerifier regulator;
    private final String artifact;
    private final List<Member> members;
    private final HttpClient requests = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final Semaphore inFlight = new Semaphore(128);
    /**
     * Connections the receipts may use at once. Each agent sends its receipt the moment it has
     * halted; the limit is the file descriptors this process and the node have beside the streams.
     */
    static final int CONNECTIONS = Integer.getInteger("ditchley.bench.connections", 4096);
    /** Signs receipts off the network's thread: as many as the machine has cores. */
    private final java.util.concurrent.ExecutorService signers = java.util.concurrent.Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), r -> {
                Thread t = new Thread(r, "fleet-signers");
                t.setDaemon(true);
                return t;
            });
    private final AgentNetwork network;
    private final ConcurrentHashMap<UUID, Long> lastSequence = new ConcurrentHashMap<>();
    private final java.util.Set<Integer> streams = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<UUID, Boolean> opened = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Long> receiptAt = new ConcurrentHashMap<>();
    /** Milliseconds from reading an order to sending its signed receipt, and from sending it to the node's answer. */
    private final java.util.concurrent.ConcurrentLinkedQueue<double[]> receiptTimings = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /**
     * Orders checked, by their exact bytes. Every agent checks the order it receives; agents on
     * one machine receive the same bytes, so the check (a pure function of the bytes and the
     * pinned key) is done once per distinct note here rather than once per simulated agent.
     */
    private final ConcurrentHashMap<java.nio.ByteBuffer, StopOrder> verified = new ConcurrentHashMap<>();
    final AtomicInteger refused = new AtomicInteger();
    /** Request connections opened before the current order's receipts: the receipts' own are counted from here. */
    private volatile long connectionsBefore;

    AgentFleet(URI node, NoteVerifier regulator, String artifact, List<Member> members) throws java.io.IOException {
        this.node = node;
        this.regulator = regulator;
        this.artifact = artifact;
        this.members = List.copyOf(members);
        this.network = new AgentNetwork(new java.net.InetSocketAddress(node.getHost(), node.getPort()), CONNECTIONS,
                new AgentNetwork.StreamListener() {
                    @Override
                    public void comment(int stream) {
                        opened.put(AgentFleet.this.members.get(stream).deployment(), true);
                    }

                    @Override
                    public void event(int stream, String name, String data) {
                        if (name.equals("order")) {
                            order(AgentFleet.this.members.get(stream), Base64.getDecoder().decode(data));
                        }
                    }

                    @Override
                    public void closed(int stream) {
                        streams.remove(stream);
                    }
                });
    }

    int size() {
        return members.size();
    }

    /** One license for {@code m}, checked as the agent checks it. */
    CompletableFuture<License> license(Member m) {
        byte[] nonceBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonceBytes);
        String nonce = HexFormat.of().formatHex(nonceBytes);
        byte[] body = Signed.sign(new LicenseRequest(m.deployment(), nonce, Instant.now()).text(), m.key());
        inFlight.acquireUninterruptibly();
        return requests.sendAsync(HttpRequest.newBuilder(node.resolve("/api/v1/agent/license")).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((r, e) -> inFlight.release())
                .thenApply(r -> {
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("license refused (" + r.statusCode() + "): " + new String(r.body()));
                    }
                    try {
                        License l = License.parse(Signed.open(r.body(), regulator));
                        if (!l.deployment().equals(m.deployment()) || !l.nonce().equals(nonce) || !l.artifact().equals(artifact)) {
                            throw new IllegalStateException("license for another request: " + l);
                        }
                        long last = lastSequence.merge(m.deployment(), l.sequence(), Math::max);
                        if (last != l.sequence()) {
                            throw new IllegalStateException("license sequence " + l.sequence() + " not above " + last);
                        }
                        return l;
                    } catch (ProtocolException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    /** Licenses every member once; returns when all are held. */
    void licenseAll() {
        List<CompletableFuture<License>> all = new ArrayList<>();
        members.forEach(m -> all.add(license(m)));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Renews round-robin for {@code window} from {@code clients} threads, each on its own kept-alive
     * connection, checking every license as an agent does; returns checked licenses per second.
     */
    double renewFor(Duration window, int clients) throws InterruptedException {
        return renewFor(window, clients, false);
    }

    /**
     * As {@link #renewFor(Duration, int)}, but each renewal on a connection of its own, opened for
     * it and closed once its license is checked: as agents in service renew, once every half
     * lifetime (minutes), long after the node has closed their idle connections (30 s).
     */
    double renewOnNewConnectionsFor(Duration window, int clients) throws InterruptedException {
        return renewFor(window, clients, true);
    }

    private double renewFor(Duration window, int clients, boolean newConnections) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long end = System.nanoTime() + window.toNanos();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                PlainHttp http = null;
                try {
                    while (System.nanoTime() < end) {
                        if (http == null) {
                            http = new PlainHttp(node.getHost(), node.getPort());
                        }
                        Member m = members.get(Math.floorMod(next.getAndIncrement(), members.size()));
                        byte[] nonceBytes = new byte[16];
                        ThreadLocalRandom.current().nextBytes(nonceBytes);
                        String nonce = HexFormat.of().formatHex(nonceBytes);
                        byte[] body = Signed.sign(new LicenseRequest(m.deployment(), nonce, Instant.now()).text(), m.key());
                        PlainHttp.Response r = http.post("/api/v1/agent/license", "text/plain", body);
                        if (newConnections) {
                            http.close();
                            http = null;
                        }
                        if (r.status() != 200) {
                            throw new IllegalStateException("license refused (" + r.status() + "): " + new String(r.body()));
                        }
                        License l = License.parse(Signed.open(r.body(), regulator));
                        if (!l.deployment().equals(m.deployment()) || !l.nonce().equals(nonce)) {
                            throw new IllegalStateException("license for another request: " + l);
                        }
                        done.incrementAndGet();
                    }
                    if (http != null) {
                        http.close();
                    }
                } catch (Exception e) {
                    refused.incrementAndGet();
                    System.err.println("renewal client failed: " + e);
                }
            }, "fleet-renewals");
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Opens every member's order stream; returns once each has its first event. */
    void openStreams(Duration timeout) throws InterruptedException {
        for (int i = 0; i < members.size(); i++) {
            open(i);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (opened.size() < members.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (opened.size() < members.size()) {
            throw new IllegalStateException("only " + opened.size() + " of " + members.size() + " streams opened");
        }
    }

    /** Cuts the streams of the first {@code n} members: they no longer hear orders. */
    void cut(int n) {
        for (int i = 0; i < n; i++) {
            streams.remove(i);
            network.cut(i);
        }
    }

    void resetReceipts() {
        receiptAt.clear();
        receiptTimings.clear();
        connectionsBefore = network.connectionsOpened();
    }

    /**
     * Where the receipts' time went on this side: p50 and p99 of the wait from reading the order
     * to sending the receipt (for a free sender), and of the node's answer to it (its batch committed).
     */
    String receiptTimings() {
        List<double[]> all = new ArrayList<>(receiptTimings);
        if (all.isEmpty()) {
            return "no receipts";
        }
        double[] queued = all.stream().mapToDouble(t -> t[0]).sorted().toArray();
        double[] answered = all.stream().mapToDouble(t -> t[1]).sorted().toArray();
        return String.format(java.util.Locale.ROOT, "from reading the order to sending the signed receipt p50 %.0f ms, p99 %.0f ms; "
                + "node's answer p50 %.0f ms, p99 %.0f ms; %,d new connections", queued[queued.length / 2], queued[(int) Math.ceil(queued.length * 0.99) - 1],
                answered[answered.length / 2], answered[(int) Math.ceil(answered.length * 0.99) - 1],
                network.connectionsOpened() - connectionsBefore);
    }

    int receipts() {
        return receiptAt.size();
    }


    private void open(int i) {
        Member m = members.get(i);
        String auth = Base64.getEncoder().encodeToString(Signed.sign(new StreamAuth(m.deployment(), Instant.now()).text(), m.key()));
        String request = "GET /api/v1/agent/orders HTTP/1.1\r\nHost: " + node.getHost() + ":" + node.getPort()
                + "\r\nAccept: text/event-stream\r\nDitchley-Agent-Auth: " + auth + "\r\n\r\n";
        streams.add(i);
        network.openStream(i, request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private void order(Member m, byte[] note) {
        StopOrder order = checked(note, verified, regulator);
        if (order == null || !order.covers(m.deployment(), artifact)) {
            refused.incrementAndGet();
            return;
        }
        // the simulated workload stops the moment the order is read; the receipt is signed off the
        // network's thread, so that reading the other agents' streams never waits on it
        Instant halted = Instant.now();
        long read = System.nanoTime();
        signers.execute(() -> sendReceipt(m, receiptRequest(m, order, halted), read, 0));
    }

    /** The order in {@code note} if {@code key} signed it, checked once per distinct note; else null. */
    private static StopOrder checked(byte[] note, ConcurrentHashMap<java.nio.ByteBuffer, StopOrder> checked, NoteVerifier key) {
        return checked.computeIfAbsent(java.nio.ByteBuffer.wrap(note), k -> {
            try {
                return StopOrder.parse(Signed.open(note, key));
            } catch (ProtocolException e) {
                return null;
            }
        });
    }

    /** {@code m}'s signed halt receipt for {@code order}, as a complete HTTP request. */
    private byte[] receiptRequest(Member m, StopOrder order, Instant halted) {
        byte[] receipt = Signed.sign(new HaltReceipt(m.deployment(), order.order(), halted, HaltReceipt.How.TERMINATED).text(), m.key());
        byte[] head = ("POST /api/v1/agent/halt HTTP/1.1\r\nHost: " + node.getHost() + ":" + node.getPort()
                + "\r\nContent-Type: text/plain\r\nPrefer: return=minimal\r\nContent-Length: " + receipt.length + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] request = java.util.Arrays.copyOf(head, head.length + receipt.length);
        System.arraycopy(receipt, 0, request, head.length, receipt.length);
        return request;
    }

    /**
     * Runs this driver's side of an order {@code times} times over made-up bytes, sending nothing:
     * an order event read from an event stream, checked and found to cover the agent, a receipt
     * signed and framed for each member in turn, and the node's answer to it read. The driver
     * shares the node's cores, and its compiler would otherwise spend about a second of CPU on
     * these paths during the first order, which agents on machines of their own would not take
     * from the node. The node's paths stay as cold as they were.
     */
    void rehearse(int times) throws java.io.IOException {
        NoteSigner key = NoteSigner.generate("rehearsal.bench");
        byte[] note = Signed.sign(new StopOrder(UUID.randomUUID(), 1, Instant.now(), 5, "rehearsal", List.of(artifact), List.of()).text(), key);
        byte[] event = ("event:order\ndata:" + Base64.getEncoder().encodeToString(note) + "\n\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] chunk = concat(concat((Integer.toHexString(event.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII), event),
                new byte[] {'\r', '\n'});
        ConcurrentHashMap<java.nio.ByteBuffer, StopOrder> checked = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicLong framed = new AtomicLong();
        SseReader events = new SseReader((name, data) -> {
            Member m = members.get(next.getAndIncrement() % members.size());
            StopOrder order = checked(Base64.getDecoder().decode(data), checked, key.verifier());
            if (name.equals("order") && order != null && order.covers(m.deployment(), artifact)) {
                framed.addAndGet(receiptRequest(m, order, Instant.now()).length);
            }
        }, () -> { });
        HttpResponseReader stream = new HttpResponseReader(new HttpResponseReader.Handler() {
            public void head(int status) { }
            public void body(byte[] bytes, int offset, int length) { events.feed(bytes, offset, length); }
            public void end(int status, boolean close) { }
        });
        byte[] opened = head("200 OK", "Content-Type: text/event-stream\r\nTransfer-Encoding: chunked");
        stream.feed(opened, 0, opened.length);
        byte[] answer = concat(head("200 OK", "Content-Type: application/json\r\nContent-Length: 17"),
                "{\"recorded\":true}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        AtomicInteger answered = new AtomicInteger();
        HttpResponseReader answers = new HttpResponseReader(new HttpResponseReader.Handler() {
            public void head(int status) { }
            public void body(byte[] bytes, int offset, int length) { }
            public void end(int status, boolean close) { answered.incrementAndGet(); }
        });
        for (int i = 0; i < times; i++) {
            stream.feed(chunk, 0, chunk.length);
            answers.feed(answer, 0, answer.length);
        }
        if (next.get() != times || answered.get() != times || framed.get() == 0) {
            throw new IllegalStateException("the rehearsal read " + next.get() + " orders and " + answered.get() + " answers of " + times);
        }
        // what the rehearsal made hot is compiled on the compiler's own threads, after it: wait for that
        java.lang.management.CompilationMXBean compiler = java.lang.management.ManagementFactory.getCompilationMXBean();
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (long before = -1, now = compiler.getTotalCompilationTime(); now != before && System.nanoTime() < deadline;
             before = now, now = compiler.getTotalCompilationTime()) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static byte[] head(String status, String headers) {
        return ("HTTP/1.1 " + status + "\r\n" + headers + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** As an agent does: until the node has it, or refuses it for good (a 4xx other than 409). */
    private void sendReceipt(Member m, byte[] request, long read, int attempt) {
        long sent = System.nanoTime();
        network.send(request).whenComplete((r, e) -> {
            if (r != null && r.status() == 200) {
                long answered = System.nanoTime();
                receiptAt.put(m.deployment(), answered);
                receiptTimings.add(new double[] {(sent - read) / 1e6, (answered - sent) / 1e6});
            } else if (r != null && r.status() / 100 == 4 && r.status() != 409) {
                System.err.println("receipt refused (" + r.status() + "): " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
                refused.incrementAndGet();
            } else if (attempt + 1 < 10) {
                sendReceipt(m, request, read, attempt + 1);
            } else {
                System.err.println("receipt not delivered: " + (e != null ? e : "status " + r.status()));
                refused.incrementAndGet();
            }
        });
    }
}
