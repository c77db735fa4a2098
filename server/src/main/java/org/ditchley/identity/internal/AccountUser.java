package org.ditchley.identity.internal;

import java.util.Collection;
import java.util.List;
import org.ditchley.identity.Actor;
import org.ditchley.identity.ActorPrincipal;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** A signed-in account as Spring Security sees it. */
record AccountUser(Actor actor, String email, String passwordHash, boolean enabled)
        implements UserDetails, ActorPrincipal {

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return authorities(actor);
    }

    static List<SimpleGrantedAuthority> authorities(Actor actor) {
        return actor.roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList();
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return email;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public String toString() {
        return "AccountUser[" + email + "]";
    }
}
