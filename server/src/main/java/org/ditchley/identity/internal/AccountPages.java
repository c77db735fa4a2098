package org.ditchley.identity.internal;

import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.ditchley.identity.Actors;
import org.ditchley.platform.DitchleyException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Opening an account (first set-up, accepting an invitation) and managing one's API tokens. */
@Controller
class AccountPages {

    private final SetupService setup;
    private final Invitations invitations;
    private final ApiTokens tokens;

    AccountPages(SetupService setup, Invitations invitations, ApiTokens tokens) {
        this.setup = setup;
        this.invitations = invitations;
        this.tokens = tokens;
    }

    /** Anyone holding the one-time set-up token: the form that creates the first regulator account. */
    @GetMapping("/setup")
    @PermitAll
    String setupForm(@RequestParam(required = false) String token, Model model) {
        model.addAttribute("token", token);
        model.addAttribute("pending", setup.pending());
        return "identity/setup";
    }

    /** Anyone holding the one-time set-up token: creates the regulator and its first officer, then asks them to sign in. */
    @PostMapping("/setup")
    @PermitAll
    String setup(@RequestParam(required = false) String token, @RequestParam(required = false) String organisation,
                 @RequestParam(required = false) String jurisdiction, @RequestParam(required = false) String name,
                 @RequestParam(required = false) String email, @RequestParam(required = false) String password,
                 Model model, HttpServletResponse response) {
        try {
            setup.complete(new SetupService.SetupRequest(token, organisation, jurisdiction, name, email, password));
            return "redirect:/login?setup";
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            model.addAttribute("token", token);
            model.addAttribute("pending", setup.pending());
            model.addAttribute("organisation", organisation);
            model.addAttribute("jurisdiction", jurisdiction);
            model.addAttribute("name", name);
            model.addAttribute("email", email);
            model.addAttribute("error", e.getMessage());
            return "identity/setup";
        }
    }

    /** Anyone holding an invitation token: what the invitation offers, and the form to accept it. */
    @GetMapping("/invite")
    @PermitAll
    String invitation(@RequestParam(required = false) String token, Model model, HttpServletResponse response) {
        model.addAttribute("token", token);
        try {
            model.addAttribute("invitation", invitations.pending(token));
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.getMessage());
        }
        return "identity/invite";
    }

    /** Anyone holding an invitation token: opens the account it describes, then asks them to sign in. */
    @PostMapping("/invite")
    @PermitAll
    String accept(@RequestParam(required = false) String token, @RequestParam(required = false) String name,
                  @RequestParam(required = false) String password, Model model, HttpServletResponse response) {
        try {
            invitations.accept(token, name, password);
            return "redirect:/login?invited";
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            model.addAttribute("token", token);
            model.addAttribute("name", name);
            model.addAttribute("error", e.getMessage());
            try {
                model.addAttribute("invitation", invitations.pending(token));
            } catch (DitchleyException spent) {
                model.addAttribute("invitation", null);
            }
            return "identity/invite";
        }
    }

    /** Anyone signed in: their API tokens. */
    @GetMapping("/account/tokens")
    @PreAuthorize("isAuthenticated()")
    String tokens(Model model) {
        model.addAttribute("tokens", tokens.list(Actors.require()));
        return "identity/tokens";
    }

    /** Anyone signed in: issues a token and shows its secret this once. */
    @PostMapping("/account/tokens")
    @PreAuthorize("isAuthenticated()")
    String issue(@RequestParam(required = false) String name, Model model, HttpServletResponse response) {
        try {
            model.addAttribute("issued", tokens.issue(Actors.require(), name));
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.getMessage());
        }
        model.addAttribute("tokens", tokens.list(Actors.require()));
        return "identity/tokens";
    }

    /** Anyone signed in: revokes one of their own tokens (a regulator may revoke any). */
    @PostMapping("/account/tokens/{id}/revoke")
    @PreAuthorize("isAuthenticated()")
    String revoke(@PathVariable UUID id, RedirectAttributes redirect) {
        tokens.revoke(Actors.require(), id);
        redirect.addFlashAttribute("message", "Token revoked.");
        return "redirect:/account/tokens";
    }
}
