package org.ditchley.portal;

import org.ditchley.platform.DitchleyException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * Shows a page request that could not be carried out as the error page, with the status the
 * exception names (404 for something that does not exist). Only {@link DitchleyException}s are
 * handled: access-denied errors propagate so that Spring Security sends an anonymous visitor to
 * sign in and answers 403 to a signed-in one. JSON handlers never get here: the platform's
 * problem-detail advice comes first for them.
 */
@ControllerAdvice(annotations = Controller.class)
class PageErrorAdvice {

    @ExceptionHandler(DitchleyException.class)
    ModelAndView pageError(DitchleyException e) {
        ModelAndView page = new ModelAndView("error");
        page.setStatus(e.status());
        page.addObject("status", e.status().value());
        page.addObject("error", e.status().getReasonPhrase());
        page.addObject("message", e.getMessage());
        return page;
    }
}
