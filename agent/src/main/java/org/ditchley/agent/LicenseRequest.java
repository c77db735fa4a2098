package org.ditchley.agent;

import java.time.Instant;
import java.util.UUID;

/**
 * An agent's request for an operating license, signed with its enrolled key: the deployment, a
 * fresh random nonce the license must echo, and the agent's time.
 */
public record LicenseRequest(UUID deployment, String nonce, Instant time) {

    static final String HEADER = "ditchley license request v1";

    public String text() {
        return HEADER + "\ndeployment " + deployment + "\nnonce " + nonce + "\ntime " + Lines.format(time) + "\n";
    }

    public static LicenseRequest parse(String text) throws ProtocolException {
        Lines l = Lines.read(text, HEADER);
        LicenseRequest r = new LicenseRequest(l.uuid("deployment"), l.matching("nonce", Lines.NONCE), l.time("time"));
        l.end();
        return r;
    }
}
