package org.ditchley.identity.internal;

import jakarta.annotation.security.PermitAll;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Actors;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Role;
import org.ditchley.platform.NotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Organisations, invitations, set-up and API tokens over JSON. */
@RestController
@RequestMapping("/api/v1")
class IdentityApi {

    private final OrganisationStore organisations;
    private final Invitations invitations;
    private final SetupService setup;
    private final ApiTokens tokens;

    IdentityApi(OrganisationStore organisations, Invitations invitations, SetupService setup, ApiTokens tokens) {
        this.organisations = organisations;
        this.invitations = invitations;
        this.setup = setup;
        this.tokens = tokens;
    }

    record NewOrganisation(String name, OrganisationKind kind, String jurisdiction) {
    }

    record NewInvitation(String email, Set<Role> roles) {
    }

    record InvitationIssued(UUID id, UUID organisationId, String email, Set<Role> roles, String token,
                            URI acceptUrl, java.time.Instant expiresAt) {
    }

    record Acceptance(String token, String name, String password) {
    }

    /** The account just created, with a first API token shown this once. */
    record AccountOpened(UUID accountId, UUID organisationId, Set<Role> roles, String apiToken) {
    }

    record NewToken(String name) {
    }

    /** Public: the register of organisations is public record. */
    @GetMapping("/organisations")
    @PermitAll
    List<Organisation> organisations() {
        return organisations.all();
    }

    @GetMapping("/organisations/{id}")
    @PermitAll
    Organisation organisation(@PathVariable UUID id) {
        return organisations.find(id).orElseThrow(() -> new NotFoundException("organisation", id));
    }

    @PostMapping("/organisations")
    @PreAuthorize("hasRole('REGULATOR')")
    ResponseEntity<Organisation> createOrganisation(@RequestBody NewOrganisation body) {
        Organisation created = organisations.create(body.name(), body.kind(), body.jurisdiction(),
                Actors.require().accountId());
        return ResponseEntity.created(URI.create("/api/v1/organisations/" + created.id())).body(created);
    }

    @PostMapping("/organisations/{id}/invitations")
    @PreAuthorize("hasRole('REGULATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    InvitationIssued invite(@PathVariable UUID id, @RequestBody NewInvitation body) {
        Invitations.Issued issued = invitations.invite(Actors.require(), id, body.email(), body.roles());
        URI accept = ServletUriComponentsBuilder.fromCurrentContextPath().path("/invite")
                .queryParam("token", issued.token()).build().toUri();
        return new InvitationIssued(issued.id(), issued.organisationId(), issued.email(), issued.roles(),
                issued.token(), accept, issued.expiresAt());
    }

    /** Anyone holding an invitation token may accept it; the token is the credential. */
    @PostMapping("/invitations/accept")
    @PermitAll
    @ResponseStatus(HttpStatus.CREATED)
    AccountOpened accept(@RequestBody Acceptance body) {
        Actor actor = invitations.accept(body.token(), body.name(), body.password());
        return opened(actor);
    }

    /** Anyone holding the one-time set-up token may create the first regulator account. */
    @PostMapping("/setup")
    @PermitAll
    @ResponseStatus(HttpStatus.CREATED)
    AccountOpened setup(@RequestBody SetupService.SetupRequest body) {
        return opened(setup.complete(body));
    }

    @GetMapping("/me")
    @PreAuthorize("isAuthenticated()")
    Actor me() {
        return Actors.require();
    }

    @GetMapping("/tokens")
    @PreAuthorize("isAuthenticated()")
    List<ApiTokens.TokenInfo> listTokens() {
        return tokens.list(Actors.require());
    }

    @PostMapping("/tokens")
    @PreAuthorize("isAuthenticated()")
    @ResponseStatus(HttpStatus.CREATED)
    ApiTokens.IssuedToken issueToken(@RequestBody NewToken body) {
        return tokens.issue(Actors.require(), body.name());
    }

    @DeleteMapping("/tokens/{id}")
    @PreAuthorize("isAuthenticated()")
    ResponseEntity<Void> revokeToken(@PathVariable UUID id) {
        tokens.revoke(Actors.require(), id);
        return ResponseEntity.noContent().build();
    }

    private AccountOpened opened(Actor actor) {
        ApiTokens.IssuedToken token = tokens.issue(actor, "first token");
        return new AccountOpened(actor.accountId(), actor.organisationId(), actor.roles(), token.secret());
    }
}
