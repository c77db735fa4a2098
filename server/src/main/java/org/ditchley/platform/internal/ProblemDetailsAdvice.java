package org.ditchley.platform.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ditchley.platform.BodyTooLargeException;
import org.ditchley.platform.DitchleyException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Maps the framework's errors (unreadable bodies, wrong parameter types, unsupported methods and
 * media types, unknown paths, oversized uploads) to RFC 9457 problem details whose
 * {@code detail} names what was wrong: the field of a malformed body, the parameter of a bad
 * query. It applies to every request, including those that matched no handler; the module
 * exceptions of JSON handlers are mapped first by {@link ApiProblemsAdvice}. Authentication and
 * authorization failures are left to Spring Security.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "parameter '" + e.getName() + "' must be " + article(expected) + " " + expected);
        problem.setProperty("field", e.getName());
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        String detail = e.getMostSpecificCause().getMessage();
        if (detail != null && detail.contains("\n")) {
            detail = detail.substring(0, detail.indexOf('\n'));
        }
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "conflicts with a stored record: " + detail));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(ApiProblemsAdvice.tooLarge(tooLarge));
            }
            if (t instanceof DitchleyException invalid) {
                return ResponseEntity.status(invalid.status()).body(invalid.toProblemDetail());
            }
        }
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        Throwable cause = e.getMostSpecificCause();
        JacksonException jackson = findJackson(e);
        if (jackson != null) {
            String field = jackson.getPathReference() == null ? "" : pathOf(jackson);
            String reason = cause instanceof IllegalArgumentException ? cause.getMessage() : jackson.getOriginalMessage();
            if (reason != null && reason.length() > 300) {
                reason = reason.substring(0, 300) + "…";
            }
            problem.setDetail(field.isEmpty() ? "malformed JSON body: " + reason : "field '" + field + "': " + reason);
            if (!field.isEmpty()) {
                problem.setProperty("field", field);
            }
        } else {
            problem.setDetail("request body is missing or unreadable");
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors();
        String detail = errors.stream().map(f -> f.getField() + ": " + f.getDefaultMessage())
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                detail.isEmpty() ? "invalid request" : detail);
        problem.setProperty("errors", errors.stream()
                .map(f -> Map.of("field", f.getField(), "message", String.valueOf(f.getDefaultMessage()))).toList());
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(ProblemDetail.forStatusAndDetail(
                HttpStatus.CONTENT_TOO_LARGE, "upload exceeds the limit of " + e.getMaxUploadSize() + " bytes"));
    }

    private static JacksonException findJackson(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException j) {
                return j;
            }
        }
        return null;
    }

    private static String pathOf(JacksonException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String article(String word) {
        return "AEIOU".indexOf(Character.toUpperCase(word.charAt(0))) >= 0 ? "an" : "a";
    }
}
