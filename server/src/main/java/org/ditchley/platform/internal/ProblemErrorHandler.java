package org.ditchley.platform.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jetty's answer to a request it refuses before any application code sees it (a malformed
 * request line, headers over the size limit, a URI too long): an RFC 9457 problem detail, as
 * every other refusal of the API, instead of Jetty's HTML page. The detail is Jetty's reason,
 * which names the limit or the malformation; no stack trace or server version is shown.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM = "application/problem+json";

    /** The problem detail for {@code status}, {@code detail} being Jetty's reason (or null). */
    static byte[] problem(int status, String detail) {
        String title = HttpStatus.getMessage(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail == null || detail.isBlank() ? title : detail);
        return JSON.writeValueAsBytes(body);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        byte[] body = problem(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROBLEM);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, PROBLEM));
        return ByteBuffer.wrap(problem(status, reason));
    }
}
