package org.ditchley.agent;

import java.time.Instant;
import java.util.UUID;

/**
 * What an agent signs to open its stream of stop orders: its deployment and its time. The node
 * accepts it within a few minutes of its own clock; the stream only carries orders that are
 * public anyway, so a replay within that window reveals nothing.
 */
public record StreamAuth(UUID deployment, Instant time) {

    static final String HEADER = "ditchley order stream v1";

    public String text() {
        return HEADER + "\ndeployment " + deployment + "\ntime " + Lines.format(time) + "\n";
    }

    public static StreamAuth parse(String text) throws ProtocolException {
        Lines l = Lines.read(text, HEADER);
        StreamAuth a = new StreamAuth(l.uuid("deployment"), l.time("time"));
        l.end();
        return a;
    }
}
