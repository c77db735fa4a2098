package org.ditchley.identity.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.ditchley.identity.Actors;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Role;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.InvalidInputException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Regulators: the register of organisations, adding one, and inviting accounts into one. */
@Controller
class OrganisationPages {

    private final OrganisationStore organisations;
    private final Invitations invitations;

    OrganisationPages(OrganisationStore organisations, Invitations invitations) {
        this.organisations = organisations;
        this.invitations = invitations;
    }

    /** Regulators: every organisation, with the forms to add one and to invite an account. */
    @GetMapping("/regulator/organisations")
    @PreAuthorize("hasRole('REGULATOR')")
    String list(Model model) {
        return page(model);
    }

    /** Regulators: adds an organisation. */
    @PostMapping("/regulator/organisations")
    @PreAuthorize("hasRole('REGULATOR')")
    String create(@RequestParam(required = false) String name, @RequestParam(required = false) String kind,
                  @RequestParam(required = false) String jurisdiction, Model model, HttpServletResponse response) {
        try {
            Organisation created = organisations.create(name, kind(kind), jurisdiction, Actors.require().accountId());
            model.addAttribute("message", "Added " + created.name() + ".");
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.getMessage());
        }
        return page(model);
    }

    /** Regulators: invites an account into an organisation and shows the one-time invitation link. */
    @PostMapping("/regulator/organisations/invitations")
    @PreAuthorize("hasRole('REGULATOR')")
    String invite(@RequestParam(required = false) UUID organisation, @RequestParam(required = false) String email,
                  @RequestParam(required = false) List<Role> roles, Model model, HttpServletResponse response) {
        try {
            if (organisation == null) {
                throw new InvalidInputException("organisation", "is required");
            }
            Set<Role> chosen = roles == null || roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
            Invitations.Issued issued = invitations.invite(Actors.require(), organisation, email, chosen);
            model.addAttribute("invitation", issued);
            model.addAttribute("invitationLink", ServletUriComponentsBuilder.fromCurrentContextPath().path("/invite")
                    .queryParam("token", issued.token()).build().toUriString());
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            model.addAttribute("error", e.getMessage());
        }
        return page(model);
    }

    private String page(Model model) {
        model.addAttribute("organisations", organisations.all());
        model.addAttribute("kinds", OrganisationKind.values());
        model.addAttribute("roles", Role.values());
        return "identity/organisations";
    }

    private static OrganisationKind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            throw new InvalidInputException("kind", "is required");
        }
        try {
            return OrganisationKind.valueOf(kind.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("kind", "is not one of " + List.of(OrganisationKind.values()));
        }
    }
}
