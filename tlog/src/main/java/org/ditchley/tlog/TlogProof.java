package org.ditchley.tlog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An offline-verifiable proof that an entry is in a log (c2sp.org/tlog-proof@v1): optional
 * unauthenticated extra data, the entry's index, its inclusion proof, and the log's signed
 * checkpoint with any witness cosignatures. A filer receives one as its receipt.
 */
public record TlogProof(byte[] extra, long index, List<Hash> proof, byte[] checkpoint) {

    static final String HEADER = "c2sp.org/tlog-proof@v1";
    private static final Pattern INDEX = Pattern.compile("index (0|[1-9][0-9]{0,18})");

    public TlogProof {
        extra = extra == null ? null : extra.clone();
        if (index < 0) {
            throw new IllegalArgumentException("index is negative");
        }
        proof = List.copyOf(proof);
        checkpoint = checkpoint.clone();
    }

    public byte[] bytes() {
        String header = HEADER + "\n" + (extra == null ? "" : "extra " + Base64.getEncoder().encodeToString(extra) + "\n")
                + "index " + index + "\n";
        return ProofLines.join(header, proof, checkpoint);
    }

    public static TlogProof parse(byte[] bytes) throws MalformedNoteException {
        if (bytes.length > Note.MAX_SIZE) {
            throw new MalformedNoteException("proof is larger than " + Note.MAX_SIZE + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int blank = text.indexOf("\n\n");
        if (blank < 0) {
            throw new MalformedNoteException("proof has no blank line before its checkpoint");
        }
        String[] lines = text.substring(0, blank).split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw new MalformedNoteException("proof does not start with " + HEADER);
        }
        int i = 1;
        byte[] extra = null;
        if (i < lines.length && lines[i].startsWith("extra ")) {
            extra = decode(lines[i].substring(6), "extra data");
            i++;
        }
        if (i >= lines.length || !INDEX.matcher(lines[i]).matches()) {
            throw new MalformedNoteException("proof has no valid 'index N' line");
        }
        long index;
        try {
            index = Long.parseLong(lines[i].substring(6));
        } catch (NumberFormatException e) {
            throw new MalformedNoteException("proof index is out of range");
        }
        List<Hash> proof = new ArrayList<>();
        for (i++; i < lines.length; i++) {
            byte[] hash = decode(lines[i], "proof hash");
            if (hash.length != Hash.SIZE) {
                throw new MalformedNoteException("proof hash " + (proof.size() + 1) + " is " + hash.length + " bytes, not 32");
            }
            proof.add(Hash.of(hash));
        }
        if (proof.size() > 63) {
            throw new MalformedNoteException("proof has " + proof.size() + " hashes; no tree needs more than 63");
        }
        byte[] checkpoint = text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
        return new TlogProof(extra, index, proof, checkpoint);
    }

    /**
     * Verifies that {@code leafHash} is at {@link #index()} of the tree of a checkpoint signed by
     * {@code log} and cosigned by at least {@code quorum} of {@code witnesses}, and returns that
     * checkpoint.
     */
    public Checkpoint verify(Hash leafHash, NoteVerifier log, Collection<CosignatureVerifier> witnesses, int quorum)
            throws TlogException {
        Note note = Note.open(checkpoint, List.of(log));
        Checkpoint cp = Checkpoint.parse(note.text());
        if (!cp.origin().equals(log.name())) {
            throw new MalformedNoteException("checkpoint origin '" + cp.origin() + "' is not the log's key name '" + log.name() + "'");
        }
        int cosigned = 0;
        for (CosignatureVerifier witness : witnesses) {
            for (Note.Signature line : note.unverified()) {
                if (witness.matches(line)) {
                    witness.verify(cp, line);
                    cosigned++;
                    break;
                }
            }
        }
        if (cosigned < quorum) {
            throw new TlogException("checkpoint has " + cosigned + " valid cosignatures of the " + quorum + " required");
        }
        MerkleProofs.verifyInclusion(index, cp.size(), leafHash, proof, cp.root());
        return cp;
    }

    private static byte[] decode(String base64, String what) throws MalformedNoteException {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (!Base64.getEncoder().encodeToString(bytes).equals(base64)) {
                throw new MalformedNoteException(what + " is not in canonical base64");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException(what + " is not base64");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlogProof p && index == p.index && Arrays.equals(extra, p.extra) && proof.equals(p.proof)
                && Arrays.equals(checkpoint, p.checkpoint);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + proof.hashCode();
    }

    @Override
    public String toString() {
        return "TlogProof[index=" + index + ", " + proof.size() + " hashes]";
    }
}
