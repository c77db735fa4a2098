package org.ditchley.termination.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.ditchley.agent.License;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.ProblemResponse;
import org.ditchley.platform.RefusedBody;
import org.ditchley.platform.UnavailableException;
import org.ditchley.registry.Deployments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Serves the requests agents send at the rate of their whole fleet,
 * {@code POST /api/v1/agent/license} (answered with the signed license, {@code text/plain}) and
 * {@code POST /api/v1/agent/halt} (answered {@code {"recorded": true|false}}: whether it was the
 * first receipt for its order and copy), and the stream every agent keeps open,
 * {@code GET /api/v1/agent/orders} (server-sent events, {@link OrderStreams}; the request is
 * signed in its {@code Ditchley-Agent-Auth} header), as one asynchronous servlet beside Spring MVC. When an
 * order takes effect every covered agent sends its receipt within the same second, so these
 * requests pass through only what they need: no API-token filters (each body is a note signed
 * with the key enrolled for the deployment it names, verified before anything is decided), no
 * MVC dispatch, and no container thread held while the batch writer decides. The thread that
 * reads a request verifies it and submits it; a container thread writes the answer once the
 * request's batch has committed.
 *
 * <p>Who may call: anyone at the HTTP layer. A request is decided only if its signature verifies
 * with the deployment's enrolled key; anything else is a problem detail: 401 for a signature no
 * enrolled key verifies, 400 for a malformed note or stream header, 405 for another method, 413
 * for a body over {@value #MAX_BODY} bytes, 503 with {@code Retry-After} when the node cannot
 * decide it now.
 */
final class AgentRequests extends HttpServlet {

    static final String LICENSE = "/api/v1/agent/license";
    static final String HALT = "/api/v1/agent/halt";
    static final String ORDERS = "/api/v1/agent/orders";
    static final Set<String> PATHS = Set.of(LICENSE, HALT, ORDERS);
    static final int MAX_BODY = 64 * 1024;
    /** A backstop only: every batch answers within {@link Batches#WAIT}. */
    static final Duration ANSWER_WITHIN = Batches.WAIT.plusSeconds(5);

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(AgentRequests.class);
    private static final byte[] FIRST = "{\"recorded\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AGAIN = "{\"recorded\":false}".getBytes(StandardCharsets.US_ASCII);

    private final transient Licenses licenses;
    private final transient HaltReceipts receipts;
    private final transient AgentKeys keys;
    private final transient OrderStreams streams;
    private final transient MeterRegistry meters;
    private final transient ConcurrentMap<String, Counter> answered = new ConcurrentHashMap<>();

    AgentRequests(Licenses licenses, HaltReceipts receipts, AgentKeys keys, OrderStreams streams, MeterRegistry meters) {
        this.licenses = licenses;
        this.receipts = receipts;
        this.keys = keys;
        this.streams = streams;
        this.meters = meters;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // what the API-token chain's header writer would add: answers are neither sniffed nor cached
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (request.getServletPath().equals(ORDERS)) {
            stream(request, response);
            return;
        }
        if (!request.getMethod().equals("POST")) {
            response.setHeader(HttpHeaders.ALLOW, "POST");
            ProblemResponse.write(request, response, HttpStatus.METHOD_NOT_ALLOWED,
                    request.getMethod() + " is not served here: agents POST signed notes");
            count(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        // a declared length is read exactly (no 8 KiB scratch buffer per request); else up to one byte too many
        byte[] body = declared > MAX_BODY ? null : request.getInputStream().readNBytes(declared >= 0 ? (int) declared : MAX_BODY + 1);
        if (body == null || body.length > MAX_BODY) {
            ProblemResponse.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "request body of "
                    + (body == null ? declared + " bytes" : "more than " + MAX_BODY + " bytes")
                    + " exceeds the limit of " + MAX_BODY + " bytes for an agent's message");
            count(request, response);
            if (body == null) {
                RefusedBody.drain(request, response);
            }
            return;
        }
        CompletableFuture<?> decided;
        try {
            decided = request.getServletPath().equals(LICENSE) ? licenses.issue(body) : receipts.receive(body);
        } catch (DitchleyException refused) {
            ProblemResponse.write(request, response, refused);
            count(request, response);
            return;
        }
        Answer answer = new Answer(request.startAsync());
        decided.whenCompleteAsync(answer::send, answer::onContainerThread);
    }

    /**
     * Opens the order stream of the deployment whose agent signed the request, once the
     * signature verifies; the stream's answer is {@code 200 text/event-stream}, and lasts.
     */
    private void stream(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!request.getMethod().equals("GET")) {
            response.setHeader(HttpHeaders.ALLOW, "GET");
            ProblemResponse.write(request, response, HttpStatus.METHOD_NOT_ALLOWED,
                    request.getMethod() + " is not served here: agents GET their order stream");
            count(request, response);
            return;
        }
        Deployments.Copy copy;
        try {
            copy = keys.streamRequester(request.getHeader("Ditchley-Agent-Auth"));
        } catch (DitchleyException refused) {
            ProblemResponse.write(request, response, refused);
            count(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        AsyncContext async = request.startAsync();
        try {
            streams.open(copy, async);
        } catch (IOException | RuntimeException e) {
            log.warn("order stream of deployment {} not opened: {}", copy.id(), e.toString());
            if (!response.isCommitted()) {
                ProblemResponse.write(request, response, new UnavailableException("the order stream could not be opened now; open it again",
                        Batches.RETRY));
            }
            async.complete();
        }
        count(request, response);
    }

    /**
     * Counts the answer in {@code ditchley.agent.requests} by request ({@code license},
     * {@code halt}, {@code orders}) and status: these requests are not observed as HTTP requests.
     */
    private void count(HttpServletRequest request, HttpServletResponse response) {
        String path = request.getServletPath();
        String kind = path.equals(LICENSE) ? "license" : path.equals(HALT) ? "halt" : "orders";
        int status = response.getStatus();
        answered.computeIfAbsent(kind + status, k -> Counter.builder("ditchley.agent.requests")
                .description("Agents' license requests and halt receipts answered, by status")
                .tag("request", kind).tag("status", Integer.toString(status)).register(meters)).increment();
    }

    /** The answer to one request, written once: with its outcome, or 503 if none came in time. */
    private final class Answer implements AsyncListener {

        private final AsyncContext async;
        private final AtomicBoolean sent = new AtomicBoolean();

        Answer(AsyncContext async) {
            this.async = async;
            async.setTimeout(ANSWER_WITHIN.toMillis());
            async.addListener(this);
        }

        /**
         * Runs {@code task} on one of the container's threads, never on the batch writer's; does
         * nothing once the request has been answered (by its timeout) and its context completed.
         */
        void onContainerThread(Runnable task) {
            try {
                async.start(task);
            } catch (IllegalStateException answered) {
                sent.set(true);
            }
        }

        void send(Object outcome, Throwable failure) {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            HttpServletRequest request = (HttpServletRequest) async.getRequest();
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            try {
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
                if (cause instanceof DitchleyException refused) {
                    ProblemResponse.write(request, response, refused);
                } else if (cause != null) {
                    log.warn("{} not decided", request.getRequestURI(), cause);
                    ProblemResponse.write(request, response, HttpStatus.INTERNAL_SERVER_ERROR, "the node could not decide this request");
                } else if (outcome instanceof License license) {
                    response.setContentType(MediaType.TEXT_PLAIN_VALUE);
                    response.getOutputStream().write(licenses.sign(license));
                } else {
                    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                    response.getOutputStream().write(Boolean.TRUE.equals(outcome) ? FIRST : AGAIN);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("answer to {} not sent: {}", request.getRequestURI(), e.toString());
            } finally {
                count(request, response);
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            send(null, new UnavailableException("not decided within " + ANSWER_WITHIN.toSeconds() + " s; send it again", Batches.RETRY));
        }

        @Override
        public void onError(AsyncEvent event) {
            sent.set(true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
