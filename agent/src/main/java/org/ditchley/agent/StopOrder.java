package org.ditchley.agent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stop order in effect, signed by the regulator's termination key. It covers every deployment
 * it names and every deployment serving an artifact whose manifest digest it names (for an
 * order on a model and its derivatives: the artifacts of all of them). A covered agent stops its
 * workload gracefully, forcibly after {@code graceSeconds}, and does not restart it while the
 * order stands.
 *
 * <p>{@code stopVersion} is the version of the stop list at which this text was signed. A
 * license issued against that version or a later one ({@link License#stopVersion()}) was checked
 * against this order and still issued, so it shows that the order no longer covers its holder:
 * it was lifted, perhaps while the agent could not hear it. Versions, not clocks, order the two,
 * since a license and an order may be decided on different nodes.
 */
public record StopOrder(UUID order, long stopVersion, Instant issued, long graceSeconds, String reason, List<String> artifacts,
                        List<UUID> deployments) {

    static final String HEADER = "ditchley stop order v1";
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");
    public static final long MAX_GRACE = 86_400;

    public StopOrder {
        artifacts = List.copyOf(artifacts);
        deployments = List.copyOf(deployments);
        reason = CONTROL.matcher(reason).replaceAll(" ").strip();
        if (reason.isEmpty()) {
            throw new IllegalArgumentException("a stop order needs a reason");
        }
    }

    public String text() {
        StringBuilder b = new StringBuilder(HEADER).append("\norder ").append(order).append("\nstop-version ").append(stopVersion)
                .append("\nissued ").append(Lines.format(issued))
                .append("\ngrace ").append(graceSeconds).append("\nreason ").append(reason).append('\n');
        artifacts.forEach(a -> b.append("artifact ").append(a).append('\n'));
        deployments.forEach(d -> b.append("deployment ").append(d).append('\n'));
        return b.toString();
    }

    public static StopOrder parse(String text) throws ProtocolException {
        Lines l = Lines.read(text, HEADER);
        UUID order = l.uuid("order");
        long stopVersion = l.number("stop-version", 0, Long.MAX_VALUE);
        Instant issued = l.time("issued");
        long grace = l.number("grace", 0, MAX_GRACE);
        String reason = l.next("reason");
        List<String> artifacts = new java.util.ArrayList<>();
        for (String a : l.repeated("artifact")) {
            artifacts.add(l.matching("artifact", a, Lines.HEX_DIGEST));
        }
        List<UUID> deployments = new java.util.ArrayList<>();
        for (String d : l.repeated("deployment")) {
            deployments.add(l.uuid("deployment", d));
        }
        l.end();
        return new StopOrder(order, stopVersion, issued, grace, reason, artifacts, deployments);
    }

    /** Whether the order covers {@code deployment}, which serves the artifact with manifest digest {@code artifact}. */
    public boolean covers(UUID deployment, String artifact) {
        return deployments.contains(deployment) || (artifact != null && artifacts.contains(artifact));
    }

}
