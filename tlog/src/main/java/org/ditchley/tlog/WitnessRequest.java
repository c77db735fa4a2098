package org.ditchley.tlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of a c2sp.org/tlog-witness {@code POST /add-checkpoint}: {@code old <size>}, up to 63
 * consistency proof lines, a blank line and the signed checkpoint.
 */
public record WitnessRequest(long oldSize, List<Hash> proof, byte[] checkpoint) {

    public static final int MAX_PROOF = 63;
    private static final Pattern OLD = Pattern.compile("old (0|[1-9][0-9]{0,18})");

    public WitnessRequest {
        if (oldSize < 0) {
            throw new IllegalArgumentException("old size is negative");
        }
        if (proof.size() > MAX_PROOF) {
            throw new IllegalArgumentException("at most " + MAX_PROOF + " proof hashes");
        }
        proof = List.copyOf(proof);
        checkpoint = checkpoint.clone();
    }

    public byte[] bytes() {
        return ProofLines.join("old " + oldSize + "\n", proof, checkpoint);
    }

    public static WitnessRequest parse(byte[] body) throws MalformedNoteException {
        if (body.length > Note.MAX_SIZE) {
            throw new MalformedNoteException("request is larger than " + Note.MAX_SIZE + " bytes");
        }
        String text = new String(body, StandardCharsets.UTF_8);
        int blank = text.indexOf("\n\n");
        if (blank < 0) {
            throw new MalformedNoteException("request has no blank line before the checkpoint");
        }
        String[] lines = text.substring(0, blank).split("\n", -1);
        if (!OLD.matcher(lines[0]).matches()) {
            throw new MalformedNoteException("request does not start with 'old <size>'");
        }
        long old;
        try {
            old = Long.parseLong(lines[0].substring(4));
        } catch (NumberFormatException e) {
            throw new MalformedNoteException("old size is out of range");
        }
        if (lines.length - 1 > MAX_PROOF) {
            throw new MalformedNoteException("request has more than " + MAX_PROOF + " proof lines");
        }
        List<Hash> proof = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            try {
                byte[] hash = Base64.getDecoder().decode(lines[i]);
                if (hash.length != Hash.SIZE || !Base64.getEncoder().encodeToString(hash).equals(lines[i])) {
                    throw new MalformedNoteException("proof line " + i + " is not a canonical base64 32-byte hash");
                }
                proof.add(Hash.of(hash));
            } catch (IllegalArgumentException e) {
                throw new MalformedNoteException("proof line " + i + " is not base64");
            }
        }
        return new WitnessRequest(old, proof, text.substring(blank + 2).getBytes(StandardCharsets.UTF_8));
    }
}
