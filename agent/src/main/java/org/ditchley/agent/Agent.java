package org.ditchley.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.ditchley.tlog.NoteSigner;
import org.ditchley.tlog.NoteVerifier;

/**
 * The agent beside a deployment. It holds an operating license from the regulator's node,
 * renewing it at half-life, and runs the workload as its child only while the license is valid
 * and no stop order covering it stands. It keeps a stream of stop orders open; on a verified
 * order it stops the workload (SIGTERM, then SIGKILL when the order's grace period ends) and
 * sends a signed halt receipt. If it can no longer renew, the workload stops when the license
 * expires: the guarantee comes from expiry, the stream only makes the stop faster.
 *
 * <p>It fails closed. A license or order that is not signed by the pinned regulator key, names
 * another deployment or artifact, does not echo the request's nonce, has a sequence number no
 * greater than the last, or has expired (beyond {@link Config#skew()}) is refused and logged,
 * and never starts or keeps the workload running by itself.
 */
public final class Agent implements AutoCloseable {

    /**
     * How the agent runs. {@code artifact} is the manifest digest the deployment serves, or null
     * to accept the one its first license names; {@code statusPort} is the localhost status port
     * (0 for any free port, -1 for none); {@code expiryGrace} is how long the workload has to
     * stop after its license expires; {@code streamIdle} is how long the order stream may stay
     * silent (the node sends a heartbeat every 15 s) before the agent drops it and reconnects.
     */
    public record Config(URI server, UUID deployment, NoteSigner key, NoteVerifier regulator, List<String> command,
                         String artifact, Duration skew, Duration expiryGrace, Duration maxBackoff, int statusPort,
                         Duration streamIdle) {

        public Config {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(deployment, "deployment");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(regulator, "regulator");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("the agent needs a workload command to supervise");
            }
            if (artifact != null && !Lines.HEX_DIGEST.matcher(artifact).matches()) {
                throw new IllegalArgumentException("artifact must be a manifest digest of 64 lower-case hex digits");
            }
        }

        public static Config of(URI server, UUID deployment, NoteSigner key, NoteVerifier regulator, List<String> command) {
            return new Config(server, deployment, key, regulator, command, null, Duration.ofSeconds(30), Duration.ofSeconds(10),
                    Duration.ofSeconds(30), 0, Duration.ofSeconds(45));
        }

        public Config withArtifact(String digest) {
            return new Config(server, deployment, key, regulator, command, digest, skew, expiryGrace, maxBackoff, statusPort, streamIdle);
        }

        public Config withExpiryGrace(Duration grace) {
            return new Config(server, deployment, key, regulator, command, artifact, skew, grace, maxBackoff, statusPort, streamIdle);
        }

        public Config withMaxBackoff(Duration backoff) {
            return new Config(server, deployment, key, regulator, command, artifact, skew, expiryGrace, backoff, statusPort, streamIdle);
        }

        public Config withStatusPort(int port) {
            return new Config(server, deployment, key, regulator, command, artifact, skew, expiryGrace, maxBackoff, port, streamIdle);
        }

        public Config withSkew(Duration tolerated) {
            return new Config(server, deployment, key, regulator, command, artifact, tolerated, expiryGrace, maxBackoff, statusPort, streamIdle);
        }

        public Config withStreamIdle(Duration idle) {
            return new Config(server, deployment, key, regulator, command, artifact, skew, expiryGrace, maxBackoff, statusPort, idle);
        }
    }

    /** Where the agent stands. */
    public enum State {
        /** No valid license yet; the workload is not running. */
        WAITING_FOR_LICENSE,
        /** Licensed; the workload runs. */
        RUNNING,
        /** A stop order stands; the workload is stopped and will not restart until it is lifted. */
        HALTED_BY_ORDER,
        /** The license expired without renewal; the workload is stopped until a license is issued again. */
        HALTED_BY_EXPIRY
    }

    private final Config config;
    private final Clock clock;
    private final Consumer<String> log;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();
    private final Map<UUID, StopOrder> standing = new ConcurrentHashMap<>();
    /** Orders naming artifacts only, received before the agent knows which artifact it serves. */
    private final Map<UUID, StopOrder> undecided = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Workload workload;
    private StatusEndpoint status;
    private volatile boolean closed;
    private volatile License license;
    private volatile Instant licenseExpires;
    private volatile String artifact;
    private volatile State state = State.WAITING_FOR_LICENSE;
    private volatile String lastRefusal;
    private long lastSequence;

    public Agent(Config config, Clock clock, Consumer<String> log) {
        this.config = config;
        this.clock = clock;
        this.log = log;
        this.artifact = config.artifact();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.workload = new Workload(config.command(), log);
    }

    /** Starts renewing, listening and supervising; returns at once. */
    public void start() throws IOException {
        if (config.statusPort() >= 0) {
            status = StatusEndpoint.start(config.statusPort(), this);
        }
        spawn("ditchley-agent-license", this::licenseLoop);
        spawn("ditchley-agent-orders", this::orderLoop);
        spawn("ditchley-agent-supervisor", this::superviseLoop);
    }

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    public State state() {
        return state;
    }

    public License license() {
        return license;
    }

    public List<UUID> standingOrders() {
        return List.copyOf(standing.keySet());
    }

    /** The workload's process ID while it runs, else -1. */
    public long workloadPid() {
        return workload.pid();
    }

    /** The localhost port of the status endpoint, or -1. */
    public int statusPort() {
        return status == null ? -1 : status.port();
    }

    /** Why the last license, order or request was refused, if one was. */
    public String lastRefusal() {
        return lastRefusal;
    }

    // ---- licenses -------------------------------------------------------------------------

    /**
     * Renews at half-life. While an order stands it still asks, every {@link Config#maxBackoff()}:
     * the node refuses until the order is lifted, and the first license it then issues is how an
     * agent that missed the lift on its stream learns of it.
     */
    private void licenseLoop() {
        Duration backoff = Duration.ofMillis(500);
        while (!closed) {
            Duration wait;
            try {
                License l = renew();
                backoff = Duration.ofMillis(500);
                wait = Duration.ofMillis(Math.max(200, (l.notAfter().toEpochMilli() - l.issued().toEpochMilli()) / 2));
            } catch (ProtocolException e) {
                if (standing.isEmpty()) {
                    refused(e.getMessage());
                    wait = backoff;
                    backoff = next(backoff);
                } else {
                    log.accept("no license while stop orders " + standing.keySet() + " stand: " + e.getMessage());
                    wait = config.maxBackoff();
                }
            } catch (IOException e) {
                log.accept("cannot reach " + config.server() + " for a license: " + e.getMessage());
                wait = backoff;
                backoff = next(backoff);
            } catch (InterruptedException e) {
                return;
            }
            sleep(wait);
        }
    }

    /** Asks for a license now and, if it passes every check, holds it. */
    public License renew() throws IOException, InterruptedException, ProtocolException {
        byte[] nonceBytes = new byte[16];
        random.nextBytes(nonceBytes);
        String nonce = HexFormat.of().formatHex(nonceBytes);
        LicenseRequest request = new LicenseRequest(config.deployment(), nonce, clock.instant());
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(config.server().resolve("/api/v1/agent/license"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Signed.sign(request.text(), config.key()))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new ProtocolException("the node refused a license (" + response.statusCode() + "): " + detail(response.body()));
        }
        return accept(response.body(), nonce);
    }

    /**
     * Checks a license the node sent in answer to the request with {@code nonce}; holds it if it
     * passes. Standing orders signed at a stop-list version no later than the license's were
     * checked when it was issued, so they no longer stand; orders kept until the served artifact
     * was known are decided now, against the artifact the license names.
     */
    public License accept(byte[] note, String nonce) throws ProtocolException {
        License l = License.parse(Signed.open(note, config.regulator()));
        Instant now = clock.instant();
        List<StopOrder> newlyStanding = new java.util.ArrayList<>();
        synchronized (lock) {
            if (!l.deployment().equals(config.deployment())) {
                throw new ProtocolException("license is for deployment " + l.deployment() + ", not " + config.deployment());
            }
            if (!l.nonce().equals(nonce)) {
                throw new ProtocolException("license echoes nonce " + l.nonce() + ", not the request's " + nonce + ": a replay");
            }
            if (l.sequence() <= lastSequence) {
                throw new ProtocolException("license has sequence " + l.sequence() + ", not above the last held, " + lastSequence);
            }
            if (artifact != null && !artifact.equals(l.artifact())) {
                throw new ProtocolException("license is for artifact " + l.artifact() + ", not the served " + artifact);
            }
            if (l.notAfter().plus(config.skew()).isBefore(now)) {
                throw new ProtocolException("license expired at " + l.notAfter() + "; it is " + Lines.format(now) + " here");
            }
            if (l.issued().minus(config.skew()).isAfter(now)) {
                throw new ProtocolException("license is issued at " + l.issued() + ", in the future of " + Lines.format(now) + " here");
            }
            lastSequence = l.sequence();
            artifact = l.artifact();
            license = l;
            // expiry by the local clock as well, so that a clock set back cannot stretch the license
            Instant local = now.plusMillis(l.notAfter().toEpochMilli() - l.issued().toEpochMilli());
            Instant wall = l.notAfter().plus(config.skew());
            licenseExpires = local.isBefore(wall) ? local : wall;
            for (StopOrder o : List.copyOf(standing.values())) {
                if (o.stopVersion() <= l.stopVersion()) {
                    standing.remove(o.order());
                    log.accept("stop order " + o.order() + " (stop list " + o.stopVersion() + ") no longer stands: license " + l.sequence()
                            + " was issued against stop list " + l.stopVersion());
                }
            }
            for (StopOrder o : List.copyOf(undecided.values())) {
                undecided.remove(o.order());
                if (o.stopVersion() > l.stopVersion() && o.covers(config.deployment(), l.artifact()) && standing.putIfAbsent(o.order(), o) == null) {
                    newlyStanding.add(o);
                }
            }
            if (!standing.isEmpty()) {
                state = State.HALTED_BY_ORDER;
            } else if (state == State.HALTED_BY_EXPIRY || state == State.HALTED_BY_ORDER) {
                state = State.WAITING_FOR_LICENSE;
            }
        }
        newlyStanding.forEach(this::halt);
        return l;
    }

    private boolean licensed() {
        Instant expires = licenseExpires;
        return expires != null && clock.instant().isBefore(expires);
    }

    // ---- stop orders ----------------------------------------------------------------------

    private void orderLoop() {
        Duration backoff = Duration.ofMillis(500);
        while (!closed) {
            try {
                stream();
                backoff = Duration.ofMillis(500);
            } catch (IOException e) {
                log.accept("order stream from " + config.server() + " lost: " + e.getMessage());
            } catch (ProtocolException e) {
                refused(e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                sleep(jitter(backoff));
                backoff = next(backoff);
            }
        }
    }

    /** Reads the order stream; returns when the node ends it, throws if it cannot be opened, fails, or stays silent for {@link Config#streamIdle()}. */
    private void stream() throws IOException, InterruptedException, ProtocolException {
        String auth = Base64.getEncoder().encodeToString(
                Signed.sign(new StreamAuth(config.deployment(), clock.instant()).text(), config.key()));
        LineFeed in = new LineFeed(config.streamIdle());
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(HttpRequest.newBuilder(config.server().resolve("/api/v1/agent/orders"))
                .header("Accept", "text/event-stream").header("Ditchley-Agent-Auth", auth).GET().build(), in.handler());
        in.follow(exchange);
        try {
            int status = in.status();
            if (status != 200) {
                throw new ProtocolException("the node refused the order stream (" + status + "): "
                        + detail(String.join("", LineFeed.drain(in, 20)).getBytes(StandardCharsets.UTF_8)));
            }
            log.accept("order stream open");
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while (!closed && (line = in.next()) != null) {
                if (line.isEmpty()) {
                    if (event != null && data.length() > 0) {
                        dispatch(event, data.toString());
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:") && data.length() < Lines.MAX_TEXT * 2) {
                    data.append(line.substring(5).strip());
                }
            }
        } finally {
            in.cancel();
            exchange.cancel(true);
        }
        log.accept("the node closed the order stream");
    }

    private void dispatch(String event, String data) {
        byte[] note;
        try {
            note = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            refused("order stream sent " + event + " data that is not base64");
            return;
        }
        try {
            switch (event) {
                case "order" -> order(note);
                case "lifted" -> lifted(note);
                default -> { }
            }
        } catch (ProtocolException e) {
            refused(e.getMessage());
        }
    }

    /**
     * Acts on a stop order from the stream: if it is genuine and covers this deployment, stops the
     * workload. An order the held license has already been checked against (its stop-list version
     * is no later than the license's) is stale and ignored. While the served artifact is not yet
     * known, an order naming only artifacts is kept and decided when a license names the artifact.
     */
    public void order(byte[] note) throws ProtocolException {
        StopOrder order = StopOrder.parse(Signed.open(note, config.regulator()));
        synchronized (lock) {
            License held = license;
            if (held != null && order.stopVersion() <= held.stopVersion()) {
                log.accept("stop order " + order.order() + " (stop list " + order.stopVersion() + ") ignored: license " + held.sequence()
                        + " was issued against the later stop list " + held.stopVersion());
                return;
            }
            String served = artifact;
            if (served == null && !order.deployments().contains(config.deployment()) && !order.artifacts().isEmpty()) {
                undecided.put(order.order(), order);
                log.accept("stop order " + order.order() + " names artifacts only; kept until a license says which one is served");
                return;
            }
            if (!order.covers(config.deployment(), served)) {
                throw new ProtocolException("stop order " + order.order() + " does not cover deployment " + config.deployment()
                        + " or its artifact " + served);
            }
            if (standing.putIfAbsent(order.order(), order) != null) {
                return;
            }
            state = State.HALTED_BY_ORDER;
        }
        halt(order);
    }

    /** Stops the workload for {@code order}, which stands, and sends the signed receipt. */
    private void halt(StopOrder order) {
        log.accept("stop order " + order.order() + " covers this deployment (" + order.reason() + "); stopping the workload");
        HaltReceipt.How how = workload.stop(Duration.ofSeconds(order.graceSeconds()));
        HaltReceipt receipt = new HaltReceipt(config.deployment(), order.order(), clock.instant(), how);
        spawn("ditchley-agent-receipt", () -> sendReceipt(receipt));
    }

    /** Acts on a lifted order from the stream: once no order stands, the workload may run again under a new license. */
    public void lifted(byte[] note) throws ProtocolException {
        StopLifted lifted = StopLifted.parse(Signed.open(note, config.regulator()));
        undecided.remove(lifted.order());
        if (standing.remove(lifted.order()) != null) {
            log.accept("stop order " + lifted.order() + " lifted");
            synchronized (lock) {
                if (standing.isEmpty()) {
                    state = State.WAITING_FOR_LICENSE;
                }
            }
        }
    }

    private void sendReceipt(HaltReceipt receipt) {
        byte[] body = Signed.sign(receipt.text(), config.key());
        Duration backoff = Duration.ofMillis(200);
        while (!closed) {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(config.server().resolve("/api/v1/agent/halt"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain; charset=utf-8")
                        .header("Prefer", "return=minimal").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() / 100 == 2) {
                    log.accept("halt receipt for order " + receipt.order() + " accepted (" + receipt.how() + ")");
                    return;
                }
                if (r.statusCode() / 100 == 4) {
                    refused("the node refused the halt receipt for order " + receipt.order() + " (" + r.statusCode() + "): " + detail(r.body()));
                    return;
                }
            } catch (IOException e) {
                log.accept("cannot send the halt receipt yet: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            sleep(backoff);
            backoff = next(backoff);
        }
    }

    // ---- the workload ---------------------------------------------------------------------

    private void superviseLoop() {
        while (!closed) {
            try {
                boolean expired;
                synchronized (lock) {
                    expired = supervise();
                }
                if (expired) {
                    workload.stop(config.expiryGrace());
                }
            } catch (IOException e) {
                log.accept("cannot start the workload: " + e.getMessage());
                sleep(Duration.ofSeconds(1));
            }
            sleep(Duration.ofMillis(100));
        }
    }

    /** Starts the workload if it may run; returns whether it must stop because the license expired. */
    private boolean supervise() throws IOException {
        if (!standing.isEmpty()) {
            state = State.HALTED_BY_ORDER;
            return false;
        }
        if (licensed() && !closed) {
            if (!workload.running()) {
                workload.start();
                log.accept("licensed until " + license.notAfter() + "; workload started, pid " + workload.pid());
            }
            state = State.RUNNING;
        } else if (workload.running()) {
            log.accept("license expired at " + (license == null ? "?" : license.notAfter()) + " without renewal; stopping the workload");
            state = State.HALTED_BY_EXPIRY;
            return true;
        } else if (state == State.RUNNING) {
            state = State.HALTED_BY_EXPIRY;
        }
        return false;
    }

    private void refused(String why) {
        lastRefusal = why;
        log.accept("refused: " + why);
    }

    private static String detail(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        int at = s.indexOf("\"detail\":\"");
        if (at >= 0) {
            int end = s.indexOf('"', at + 10);
            return end > at ? s.substring(at + 10, end) : Lines.clip(s);
        }
        return Lines.clip(s.strip());
    }

    private Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : doubled;
    }

    private static Duration jitter(Duration d) {
        return d.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, d.toMillis() / 4)));
    }

    private void sleep(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the agent's threads and, with them, the workload (SIGTERM, then SIGKILL after the expiry grace). */
    @Override
    public void close() {
        synchronized (lock) {
            // under the lock, so that the supervisor cannot start the workload after the stop below
            closed = true;
        }
        threads.forEach(Thread::interrupt);
        workload.stop(config.expiryGrace());
        if (status != null) {
            status.stop();
        }
    }
}
