/**
 * Termination: stop orders on models (with all their derivatives, declared and detected),
 * artifacts or deployments, taking effect on a quorum of officers and lifted by a larger one;
 * operating licenses that expire, never renewed for a copy under an order; the push of orders to
 * the agents beside every copy; signed halt receipts and the coverage board. Every step of an
 * order goes on the ledger.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Termination")
package org.ditchley.termination;
