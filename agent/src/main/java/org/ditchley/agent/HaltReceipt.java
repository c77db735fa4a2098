package org.ditchley.agent;

import java.time.Instant;
import java.util.UUID;

/**
 * An agent's signed statement that it halted its workload under a stop order: when, and how
 * ({@link How}).
 */
public record HaltReceipt(UUID deployment, UUID order, Instant halted, How how) {

    static final String HEADER = "ditchley halt receipt v1";

    /** How the workload stopped. */
    public enum How {
        /** It exited after SIGTERM, within the grace period. */
        TERMINATED,
        /** It ignored SIGTERM and was killed when the grace period ended. */
        KILLED,
        /** It was not running when the order arrived. */
        NOT_RUNNING
    }

    public String text() {
        return HEADER + "\ndeployment " + deployment + "\norder " + order + "\nhalted " + Lines.format(halted) + "\nhow " + how + "\n";
    }

    public static HaltReceipt parse(String text) throws ProtocolException {
        Lines l = Lines.read(text, HEADER);
        UUID deployment = l.uuid("deployment");
        UUID order = l.uuid("order");
        Instant halted = l.time("halted");
        String how = l.next("how");
        l.end();
        try {
            return new HaltReceipt(deployment, order, halted, How.valueOf(how));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("halt receipt has how '" + Lines.clip(how) + "', not one of " + java.util.Arrays.toString(How.values()));
        }
    }
}
