/**
 * Who is acting: organisations (with a kind and a jurisdiction), their accounts and roles,
 * sign-in for people (form login) and API tokens for machines, the one-time set-up of the first
 * regulator, and invitations. Every endpoint of the node declares who may call it
 * ({@code @PreAuthorize} or {@code @PermitAll}); handlers without a rule are refused.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity")
package org.ditchley.identity;
