/**
 * Transparency-log primitives, byte-compatible with RFC 6962 / RFC 9162 and the C2SP
 * specifications (c2sp.org/signed-note, tlog-checkpoint, tlog-tiles), so that verifiers and
 * witnesses written by others work against a Ditchley ledger. JDK only.
 */
package org.ditchley.tlog;
