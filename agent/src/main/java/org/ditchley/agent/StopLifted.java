package org.ditchley.agent;

import java.time.Instant;
import java.util.UUID;

/** A stop order lifted by the larger quorum, signed by the regulator's termination key: its copies may be licensed again. */
public record StopLifted(UUID order, Instant lifted) {

    static final String HEADER = "ditchley stop order lifted v1";

    public String text() {
        return HEADER + "\norder " + order + "\nlifted " + Lines.format(lifted) + "\n";
    }

    public static StopLifted parse(String text) throws ProtocolException {
        Lines l = Lines.read(text, HEADER);
        StopLifted s = new StopLifted(l.uuid("order"), l.time("lifted"));
        l.end();
        return s;
    }
}
