package org.ditchley.platform;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Base of the exceptions a module throws when a request cannot be carried out. Each names what
 * was wrong in its message; {@link #status()} and {@link #type()} say how it appears as an
 * RFC 9457 problem detail, and {@link #properties()} adds members the caller can act on.
 */
public abstract class DitchleyException extends RuntimeException {

    protected DitchleyException(String message) {
        super(message);
    }

    public abstract HttpStatus status();

    /** A short, stable slug naming the kind of problem, e.g. {@code illegal-transition}. */
    public abstract String slug();

    public URI type() {
        return URI.create("https://ditchley.org/problems/" + slug());
    }

    public Map<String, Object> properties() {
        return Map.of();
    }

    /** This exception as an RFC 9457 problem detail. */
    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status(), getMessage());
        problem.setType(type());
        properties().forEach(problem::setProperty);
        return problem;
    }
}
