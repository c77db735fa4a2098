package org.ditchley.platform;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A value the caller sent is wrong; {@code field} names which one. */
public class InvalidInputException extends DitchleyException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.BAD_REQUEST;
    }

    @Override
    public String slug() {
        return "invalid-input";
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("field", field);
    }
}
