package org.ditchley.platform;

import org.springframework.http.HttpStatus;

/** The addressed resource does not exist (or the caller may not know that it does). */
public class NotFoundException extends DitchleyException {

    public NotFoundException(String what, Object id) {
        super(what + " " + id + " does not exist");
    }

    @Override
    public HttpStatus status() {
        return HttpStatus.NOT_FOUND;
    }

    @Override
    public String slug() {
        return "not-found";
    }
}
