package org.ditchley.identity;

/** A Spring Security principal that stands for an {@link Actor}. */
public interface ActorPrincipal {
    Actor actor();
}
