package org.ditchley.agent;

import java.time.Instant;
import java.util.UUID;

/**
 * An operating license, signed by the regulator's termination key: the deployment may serve the
 * artifact with this model-signing manifest digest until {@code notAfter}. {@code sequence} only
 * grows per deployment, {@code nonce} echoes the agent's request, and {@code stopVersion} is the
 * version of the stop list it was issued against.
 */
public record License(UUID deployment, String artifact, long sequence, String nonce, Instant issued, Instant notAfter,
                      long stopVersion) {

    static final String HEADER = "ditchley license v1";

    public String text() {
        return HEADER + "\ndeployment " + deployment + "\nartifact " + artifact + "\nsequence " + sequence + "\nnonce " + nonce
                + "\nissued " + Lines.format(issued) + "\nnot-after " + Lines.format(notAfter) + "\nstop-version " + stopVersion + "\n";
    }

    public static License parse(String text) throws ProtocolException {
        Lines l = Lines.read(text, HEADER);
        License license = new License(l.uuid("deployment"), l.matching("artifact", Lines.HEX_DIGEST), l.number("sequence", 1, Long.MAX_VALUE),
                l.matching("nonce", Lines.NONCE), l.time("issued"), l.time("not-after"), l.number("stop-version", 0, Long.MAX_VALUE));
        l.end();
        if (!license.notAfter().isAfter(license.issued())) {
            throw new ProtocolException("license for " + license.deployment() + " ends at " + license.notAfter()
                    + ", not after it was issued at " + license.issued());
        }
        return license;
    }
}
