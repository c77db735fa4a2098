package org.ditchley.termination.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.ditchley.agent.License;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.ProblemResponse;
import org.ditchley.platform.RefusedBody;
import org.ditchley.platform.UnavailableException;
import org.ditchley.registry.Deployments;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Serves the requests agents send at the rate of their whole fleet,
 * {@code POST /api/v1/agent/license} (answered with the signed license, {@code text/plain}) and
 * {@code POST /api/v1/agent/halt} (answered {@code {"recorded": true|false}}: whether it was the
 * first receipt for its order and copy), and the stream every agent keeps open,
 * {@code GET /api/v1/agent/orders} (server-sent events, {@link OrderStreams}; the request is
 * signed in its {@code Ditchley-Agent-Auth} header), as a Jetty handler in front of the servlet
 * context that serves everything else. When an order takes effect every covered agent sends its
 * receipt within the same second, so these requests pass through only what they need: no
 * servlet dispatch, filters or API-token chain (each body is a note signed with the key enrolled
 * for the deployment it names, verified before anything is decided), no observation as HTTP
 * requests ({@code ditchley.agent.requests} counts the answers), and no thread held while a body
 * arrives or the batch writer decides. The thread that reads a request verifies it and submits
 * it; a thread of the server's pool writes the answer once the request's batch has committed
 * (within {@link Batches#WAIT}, or 503).
 *
 * <p>Who may call: anyone at the HTTP layer. A request is decided only if its signature verifies
 * with the deployment's enrolled key; anything else is a problem detail: 401 for a signature no
 * enrolled key verifies, 400 for a malformed note or stream header, 405 for another method, 413
 * for a body over {@value #MAX_BODY} bytes, 503 with {@code Retry-After} when the node cannot
 * decide it now.
 */
final class AgentRequests extends Handler.Wrapper {

    static final String LICENSE = "/api/v1/agent/license";
    static final String HALT = "/api/v1/agent/halt";
    static final String ORDERS = "/api/v1/agent/orders";
    static final Set<String> PATHS = Set.of(LICENSE, HALT, ORDERS);
    static final int MAX_BODY = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(AgentRequests.class);
    private static final byte[] FIRST = "{\"recorded\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AGAIN = "{\"recorded\":false}".getBytes(StandardCharsets.US_ASCII);

    private final Licenses licenses;
    private final HaltReceipts receipts;
    private final AgentKeys keys;
    private final OrderStreams streams;
    private final MeterRegistry meters;
    private final ConcurrentMap<String, Counter> answered = new ConcurrentHashMap<>();

    AgentRequests(Licenses licenses, HaltReceipts receipts, AgentKeys keys, OrderStreams streams, MeterRegistry meters) {
        this.licenses = licenses;
        this.receipts = receipts;
        this.keys = keys;
        this.streams = streams;
        this.meters = meters;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (path == null || !PATHS.contains(path)) {
            return super.handle(request, response, callback);
        }
        // what the API-token chain's header writer adds to every other answer: neither sniffed nor cached
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        String kind = path.equals(LICENSE) ? "license" : path.equals(HALT) ? "halt" : "orders";
        if (path.equals(ORDERS)) {
            stream(request, response, callback);
            return true;
        }
        if (!request.getMethod().equals("POST")) {
            headers.put(HttpHeader.ALLOW, "POST");
            refuse(kind, request, response, callback, HttpStatus.METHOD_NOT_ALLOWED,
                    request.getMethod() + " is not served here: agents POST signed notes");
            return true;
        }
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            tooLarge(kind, request, response, callback, declared + " bytes");
            return true;
        }
        BoundedBody.read(request, MAX_BODY, new BoundedBody.Outcome() {
            @Override
            public void read(byte[] body) {
                decide(kind, body, request, response, callback);
            }

            @Override
            public void tooLarge() {
                AgentRequests.this.tooLarge(kind, request, response, callback, "more than " + MAX_BODY + " bytes");
            }

            @Override
            public void failed(Throwable failure) {
                callback.failed(failure);
            }
        });
        return true;
    }

    /**
     * Decides a license request or halt receipt {@code body}, and answers once its batch has
     * committed. Each kind has its own answer: the code the JIT compiles for licenses, which
     * a node runs from its start, is not recompiled when the first order's receipts arrive.
     */
    private void decide(String kind, byte[] body, Request request, Response response, Callback callback) {
        try {
            if (kind.equals("license")) {
                licenses.issue(body).whenCompleteAsync((license, failure) -> answerLicense(license, failure, request, response, callback),
                        request.getComponents().getExecutor());
            } else {
                receipts.receive(body).whenCompleteAsync((first, failure) -> answerReceipt(first, failure, request, response, callback),
                        request.getComponents().getExecutor());
            }
        } catch (DitchleyException refused) {
            refuse(kind, request, response, callback, refused);
        } catch (RuntimeException e) {
            log.warn("{} not decided", request.getHttpURI().getPath(), e);
            refuse(kind, request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR, "the node could not decide this request");
        }
    }

    private void answerLicense(License license, Throwable failure, Request request, Response response, Callback callback) {
        if (refused("license", failure, request, response, callback)) {
            return;
        }
        byte[] signed;
        try {
            signed = licenses.sign(license);
        } catch (RuntimeException e) {
            log.warn("{} not answered", request.getHttpURI().getPath(), e);
            refuse("license", request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR, "the node could not sign its answer");
            return;
        }
        ok("license", signed, MediaType.TEXT_PLAIN_VALUE, response, callback);
    }

    private void answerReceipt(Boolean first, Throwable failure, Request request, Response response, Callback callback) {
        if (!refused("halt", failure, request, response, callback)) {
            ok("halt", Boolean.TRUE.equals(first) ? FIRST : AGAIN, MediaType.APPLICATION_JSON_VALUE, response, callback);
        }
    }

    /** Whether {@code failure} (of deciding a {@code kind} request) was answered with its problem. */
    private boolean refused(String kind, Throwable failure, Request request, Response response, Callback callback) {
        Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (cause instanceof DitchleyException refused) {
            refuse(kind, request, response, callback, refused);
            return true;
        }
        if (cause != null) {
            log.warn("{} not decided", request.getHttpURI().getPath(), cause);
            refuse(kind, request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR, "the node could not decide this request");
            return true;
        }
        return false;
    }

    private void ok(String kind, byte[] bytes, String type, Response response, Callback callback) {
        response.setStatus(HttpStatus.OK.value());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        count(kind, HttpStatus.OK.value());
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Opens the order stream of the deployment whose agent signed the request, once the
     * signature verifies; the stream's answer is {@code 200 text/event-stream}, and lasts.
     */
    private void stream(Request request, Response response, Callback callback) {
        if (!request.getMethod().equals("GET")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET");
            refuse("orders", request, response, callback, HttpStatus.METHOD_NOT_ALLOWED,
                    request.getMethod() + " is not served here: agents GET their order stream");
            return;
        }
        Deployments.Copy copy;
        try {
            copy = keys.streamRequester(request.getHeaders().get("Ditchley-Agent-Auth"));
        } catch (DitchleyException refused) {
            refuse("orders", request, response, callback, refused);
            return;
        }
        response.setStatus(HttpStatus.OK.value());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE);
        try {
            streams.open(copy, request, response, callback);
        } catch (RuntimeException e) {
            log.warn("order stream of deployment {} not opened: {}", copy.id(), e.toString());
            refuse("orders", request, response, callback,
                    new UnavailableException("the order stream could not be opened now; open it again", Batches.RETRY));
            return;
        }
        count("orders", HttpStatus.OK.value());
    }

    /** Answers 413 before the body is read, then drops up to {@link RefusedBody#SWALLOW} bytes of it so that the answer is not lost. */
    private void tooLarge(String kind, Request request, Response response, Callback callback, String size) {
        count(kind, HttpStatus.CONTENT_TOO_LARGE.value());
        ProblemResponse.write(request, response, Callback.from(() -> RefusedBody.drain(request, callback), callback::failed),
                HttpStatus.CONTENT_TOO_LARGE, "request body of " + size + " exceeds the limit of " + MAX_BODY + " bytes for an agent's message");
    }

    private void refuse(String kind, Request request, Response response, Callback callback, DitchleyException problem) {
        count(kind, problem.status().value());
        ProblemResponse.write(request, response, callback, problem);
    }

    private void refuse(String kind, Request request, Response response, Callback callback, HttpStatus status, String detail) {
        count(kind, status.value());
        ProblemResponse.write(request, response, callback, status, detail);
    }

    /**
     * Counts an answer in {@code ditchley.agent.requests} by request ({@code license},
     * {@code halt}, {@code orders}) and status: these requests are not observed as HTTP requests.
     */
    private void count(String kind, int status) {
        answered.computeIfAbsent(kind + status, k -> Counter.builder("ditchley.agent.requests")
                .description("Agents' license requests and halt receipts answered, by status")
                .tag("request", kind).tag("status", Integer.toString(status)).register(meters)).increment();
    }
}
