package org.ditchley.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an RFC 9457 problem detail straight to a response, for handlers outside Spring MVC (a
 * servlet filter, or a Jetty handler in front of the servlet context): the same members as the MVC
 * handlers' problems ({@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}
 * and the exception's own properties) and, for {@link UnavailableException}, {@code Retry-After}.
 * Every problem is sent with its {@code Content-Length}.
 */
public final class ProblemResponse {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponse() {
    }

    /** Answers {@code request} with {@code problem}; the response must not be committed yet. */
    public static void write(HttpServletRequest request, HttpServletResponse response, DitchleyException problem) throws IOException {
        if (problem instanceof UnavailableException u) {
            response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter(u));
        }
        write(response, problem.status(), body(request.getRequestURI(), problem.status(), problem.type(), problem.getMessage(), problem.properties()));
    }

    /** Answers {@code request} with a problem of {@code status} and no type of its own. */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        write(response, status, body(request.getRequestURI(), status, URI.create("about:blank"), detail, Map.of()));
    }

    /**
     * Answers the Jetty {@code request} with {@code problem}, completing {@code callback} once
     * written; the response must not be committed yet.
     */
    public static void write(Request request, Response response, Callback callback, DitchleyException problem) {
        if (problem instanceof UnavailableException u) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfter(u));
        }
        write(response, callback, problem.status(),
                body(request.getHttpURI().getPath(), problem.status(), problem.type(), problem.getMessage(), problem.properties()));
    }

    /** Answers the Jetty {@code request} with a problem of {@code status} and no type of its own. */
    public static void write(Request request, Response response, Callback callback, HttpStatus status, String detail) {
        write(response, callback, status, body(request.getHttpURI().getPath(), status, URI.create("about:blank"), detail, Map.of()));
    }

    private static String retryAfter(UnavailableException u) {
        return Long.toString(Math.max(1, u.retryAfter().toSeconds()));
    }

    private static byte[] body(String instance, HttpStatus status, URI type, String detail, Map<String, Object> properties) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        properties.forEach(body::putIfAbsent);
        return JSON.writeValueAsBytes(body);
    }

    private static void write(HttpServletResponse response, HttpStatus status, byte[] body) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void write(Response response, Callback callback, HttpStatus status, byte[] body) {
        response.setStatus(status.value());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
