package org.ditchley.platform;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The node cannot carry out the request now (it is overloaded or shutting down) but the same
 * request may succeed later: 503, with a {@code Retry-After} header of {@link #retryAfter()}.
 */
public class UnavailableException extends DitchleyException {

    private final Duration retryAfter;

    public UnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.SERVICE_UNAVAILABLE;
    }

    @Override
    public String slug() {
        return "unavailable";
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("retryAfterSeconds", retryAfter.toSeconds());
    }
}
