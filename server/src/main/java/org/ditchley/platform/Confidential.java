package org.ditchley.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event record whose content only its organisation and regulators may see. The ledger
 * publishes such a record as a salted commitment: the entry shows the record's type and
 * {@code SHA-256(salt ‖ canonical entry)}; the salt and the entry are opened only to the
 * organisation, the actor and regulators, who can then prove what was filed and when.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Confidential {
}
