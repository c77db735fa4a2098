package org.ditchley.platform.internal;

import org.ditchley.platform.BodyTooLargeException;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.UnavailableException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place where the modules' exceptions become problem details for JSON handlers:
 * {@link DitchleyException} with its own status, type and properties (and {@code Retry-After}
 * for {@link UnavailableException}), and a body that grew past
 * its limit as 413. Page handlers show the same exceptions as error pages instead.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblemsAdvice {

    @ExceptionHandler(DitchleyException.class)
    ResponseEntity<ProblemDetail> ditchley(DitchleyException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e instanceof UnavailableException u) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, u.retryAfter().toSeconds())));
        }
        return response.body(e.toProblemDetail());
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(e));
    }

    static ProblemDetail tooLarge(BodyTooLargeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }
}
