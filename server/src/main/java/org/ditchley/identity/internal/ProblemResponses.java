package org.ditchley.identity.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.ditchley.platform.ProblemResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** Problem details written by security filters, outside Spring MVC: a 401 also names the scheme to use. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        ProblemResponse.write(request, response, status, detail);
    }
}
