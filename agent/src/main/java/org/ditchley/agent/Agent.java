package org.ditchley.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
     * stop after its license expires.
     */
    public record Config(URI server, UUID deployment, NoteSigner key, NoteVerifier regulator, List<String> command,
                         String artifact, Duration skew, Duration expiryGrace, Duration maxBackoff, int statusPort) {

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
                    Duration.ofSeconds(30), 0);
        }

        public Config withArtifact(String digest) {
            return new Config(server, deployment, key, regulator, command, digest, skew, expiryGrace, maxBackoff, statusPort);
        }

        public Config withExpiryGrace(Duration grace) {
            return new Config(server, deployment, key, regulator, command, artifact, skew, grace, maxBackoff, statusPort);
        }

        public Config withMaxBackoff(Duration backoff) {
            return new Config(server, deployment, key, regulator, command, artifact, skew, expiryGrace, backoff, statusPort);
        }

        public Config withStatusPort(int port) {
            return new Config(server, deployment, key, regulator, command, artifact, skew, expiryGrace, maxBackoff, port);
        }

        public Config withSkew(Duration tolerated) {
            return new Config(server, deployment, key, regulator, command, artifact, tolerated, expiryGrace, maxBackoff, statusPort);
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
    private final Object lock = new Object();
    private final List<Thread> threads = new ArrayList<>();
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
        Thread t = new Thread(body, name);
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

    private void licenseLoop() {
        Duration backoff = Duration.ofMillis(500);
        while (!closed) {
            Duration wait;
            try {
                if (!standing.isEmpty() && license == null) {
                    wait = config.maxBackoff();
                } else {
                    License l = renew();
                    backoff = Duration.ofMillis(500);
                    wait = Duration.ofMillis(Math.max(200, (l.notAfter().toEpochMilli() - l.issued().toEpochMilli()) / 2));
                }
            } catch (ProtocolException e) {
                refused(e.getMessage());
                wait = backoff;
                backoff = next(backoff);
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

    /** Checks a license the node sent in answer to the request with {@code nonce}; holds it if it passes. */
    public License accept(byte[] note, String nonce) throws ProtocolException {
        License l = License.parse(Signed.open(note, config.regulator()));
        Instant now = clock.instant();
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
            if (state == State.HALTED_BY_EXPIRY) {
                state = State.WAITING_FOR_LICENSE;
            }
        }
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

    private void stream() throws IOException, InterruptedException, ProtocolException {
        String auth = Base64.getEncoder().encodeToString(
                Signed.sign(new StreamAuth(config.deployment(), clock.instant()).text(), config.key()));
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(config.server().resolve("/api/v1/agent/orders"))
                .header("Accept", "text/event-stream").header("Ditchley-Agent-Auth", auth).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new ProtocolException("the node refused the order stream (" + response.statusCode() + "): "
                        + detail(in.lines().limit(20).reduce("", String::concat).getBytes(StandardCharsets.UTF_8)));
            }
            log.accept("order stream open");
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while (!closed && (line = in.readLine()) != null) {
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
        }
        throw new IOException("the node closed the order stream");
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

    /** Acts on a stop order from the stream: if it is genuine and covers this deployment, stops the workload. */
    public void order(byte[] note) throws ProtocolException {
        StopOrder order = StopOrder.parse(Signed.open(note, config.regulator()));
        if (!order.covers(config.deployment(), artifact)) {
            throw new ProtocolException("stop order " + order.order() + " does not cover deployment " + config.deployment()
                    + " or its artifact " + artifact);
        }
        if (standing.putIfAbsent(order.order(), order) != null) {
            return;
        }
        log.accept("stop order " + order.order() + " covers this deployment (" + order.reason() + "); stopping the workload");
        HaltReceipt.How how;
        synchronized (lock) {
            state = State.HALTED_BY_ORDER;
            how = workload.stop(Duration.ofSeconds(order.graceSeconds()));
        }
        HaltReceipt receipt = new HaltReceipt(config.deployment(), order.order(), clock.instant(), how);
        spawn("ditchley-agent-receipt", () -> sendReceipt(receipt));
    }

    /** Acts on a lifted order from the stream: once no order stands, the workload may run again under a new license. */
    public void lifted(byte[] note) throws ProtocolException {
        StopLifted lifted = StopLifted.parse(Signed.open(note, config.regulator()));
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
                synchronized (lock) {
                    supervise();
                }
            } catch (IOException e) {
                log.accept("cannot start the workload: " + e.getMessage());
                sleep(Duration.ofSeconds(1));
            }
            sleep(Duration.ofMillis(100));
        }
    }

    private void supervise() throws IOException {
        if (!standing.isEmpty()) {
            state = State.HALTED_BY_ORDER;
            return;
        }
        if (licensed()) {
            if (!workload.running()) {
                workload.start();
                log.accept("licensed until " + license.notAfter() + "; workload started, pid " + workload.pid());
            }
            state = State.RUNNING;
        } else if (workload.running()) {
            log.accept("license expired at " + (license == null ? "?" : license.notAfter()) + " without renewal; stopping the workload");
            state = State.HALTED_BY_EXPIRY;
            workload.stop(config.expiryGrace());
        } else if (state == State.RUNNING) {
            state = State.HALTED_BY_EXPIRY;
        }
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
        closed = true;
        threads.forEach(Thread::interrupt);
        synchronized (lock) {
            workload.stop(config.expiryGrace());
        }
        if (status != null) {
            status.stop();
        }
    }
}
