package org.ditchley.tlog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The shape shared by c2sp.org/tlog-proof and tlog-witness bodies: header lines, one base64 hash
 * per line, a blank line, then a signed note verbatim.
 */
final class ProofLines {

    private ProofLines() {
    }

    static byte[] join(String header, List<Hash> proof, byte[] note) {
        StringBuilder b = new StringBuilder(header);
        proof.forEach(h -> b.append(h.base64()).append('\n'));
        b.append('\n');
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + note.length);
        System.arraycopy(note, 0, out, head.length, note.length);
        return out;
    }
}
