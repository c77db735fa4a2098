package org.ditchley.portal;

import jakarta.annotation.security.PermitAll;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The home page and the sign-in page. */
@Controller
class PortalPages {

    /** Anyone: the home page is the public registry. */
    @GetMapping("/")
    @PermitAll
    String home() {
        return "redirect:/models";
    }

    /** Anyone: the sign-in form; Spring Security handles the POST and sends failures back with {@code ?error}. */
    @GetMapping("/login")
    @PermitAll
    String login() {
        return "portal/login";
    }
}
