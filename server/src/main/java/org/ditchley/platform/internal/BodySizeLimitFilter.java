package org.ditchley.platform.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.ditchley.platform.BodyTooLargeException;
import org.ditchley.platform.RefusedBody;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than the API allows with 413, before they are read: at once when
 * {@code Content-Length} says so, and as soon as a chunked body passes the limit. JSON requests
 * get {@code ditchley.limits.json-body} (default 1 MiB); uploads (CSV, multipart) get
 * {@code ditchley.limits.upload} (default 32 MiB).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long jsonLimit;
    private final long uploadLimit;
    private final java.util.List<String> documentPaths;
    private final org.springframework.util.AntPathMatcher paths = new org.springframework.util.AntPathMatcher();

    BodySizeLimitFilter(@Value("${ditchley.limits.json-body:1048576}") long jsonLimit,
                        @Value("${ditchley.limits.upload:33554432}") long uploadLimit,
                        @Value("${ditchley.limits.document-paths:/api/v1/identify,/api/v1/models/*/artifacts}") java.util.List<String> documentPaths) {
        this.jsonLimit = jsonLimit;
        this.uploadLimit = uploadLimit;
        this.documentPaths = documentPaths;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = isUpload(request) || isDocument(request) ? uploadLimit : jsonLimit;
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            tooLarge(response, declared, limit);
            RefusedBody.drain(request, response);
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    private boolean isDocument(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return documentPaths.stream().anyMatch(p -> paths.match(p, path));
    }

    private static boolean isUpload(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && (type.startsWith(MediaType.MULTIPART_FORM_DATA_VALUE) || type.startsWith("text/csv"));
    }

    static void tooLarge(HttpServletResponse response, long size, long limit) throws IOException {
        response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
        response.setHeader("Connection", "close");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        byte[] problem = ("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                + "\"detail\":\"request body of " + (size < 0 ? "more than " + limit : size) + " bytes exceeds the limit of "
                + limit + " bytes\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        response.setContentLength(problem.length);
        response.getOutputStream().write(problem);
    }

    /** Fails the read once more than {@code limit} bytes have come in. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int off, int len) throws IOException {
                        int n = in.read(buffer, off, len);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws IOException {
                        count += n;
                        if (count > limit) {
                            throw new BodyTooLargeException(limit);
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
