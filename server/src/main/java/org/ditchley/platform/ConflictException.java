package org.ditchley.platform;

import org.springframework.http.HttpStatus;

/** The request contradicts the current state of a resource; the message names that state. */
public class ConflictException extends DitchleyException {

    private final String slug;

    public ConflictException(String slug, String message) {
        super(message);
        this.slug = slug;
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.CONFLICT;
    }

    @Override
    public String slug() {
        return slug;
    }
}
