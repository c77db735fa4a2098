package org.ditchley.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an RFC 9457 problem detail straight to a servlet response, for handlers outside Spring
 * MVC: the same members as the MVC handlers' problems ({@code type}, {@code title},
 * {@code status}, {@code detail}, {@code instance} and the exception's own properties) and, for
 * {@link UnavailableException}, {@code Retry-After}.
 */
public final class ProblemResponse {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemResponse() {
    }

    /** Answers {@code request} with {@code problem}; the response must not be committed yet. */
    public static void write(HttpServletRequest request, HttpServletResponse response, DitchleyException problem) throws IOException {
        if (problem instanceof UnavailableException u) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, u.retryAfter().toSeconds())));
        }
        write(request, response, problem.status(), problem.type(), problem.getMessage(), problem.properties());
    }

    /** Answers {@code request} with a problem of {@code status} and no type of its own. */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        write(request, response, status, URI.create("about:blank"), detail, Map.of());
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, URI type, String detail,
                              Map<String, Object> properties) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.toString());
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        properties.forEach(body::putIfAbsent);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
