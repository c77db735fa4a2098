package org.ditchley.portal;

import org.ditchley.platform.DitchleyException;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.ModelAndView;

/**
 * Shows a page request that could not be carried out as the error page, with the status the
 * exception names (404 for something that does not exist). Only {@link DitchleyException}s are
 * handled: access-denied errors propagate so that Spring Security sends an anonymous visitor to
 * sign in and answers 403 to a signed-in one. JSON handlers keep their problem details.
 */
@ControllerAdvice(annotations = Controller.class)
class PageErrorAdvice {

    @ExceptionHandler(DitchleyException.class)
    Object pageError(DitchleyException e, HandlerMethod handler) {
        if (AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class)
                || AnnotatedElementUtils.hasAnnotation(handler.getMethod(), ResponseBody.class)) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
            problem.setType(e.type());
            e.properties().forEach(problem::setProperty);
            return ResponseEntity.status(e.status()).body(problem);
        }
        ModelAndView page = new ModelAndView("error");
        page.setStatus(e.status());
        page.addObject("status", e.status().value());
        page.addObject("error", e.status().getReasonPhrase());
        page.addObject("message", e.getMessage());
        return page;
    }
}
