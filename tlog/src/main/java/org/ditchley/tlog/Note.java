package org.ditchley.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A signed note (c2sp.org/signed-note): UTF-8 text ending in a newline, a blank line, and one
 * line per signature, {@code — <name> <base64(key ID ‖ signature)>}. {@link #signatures()} are
 * those made by the keys the note was opened with, {@link #unverified()} those by other keys.
 */
public record Note(String text, List<Signature> signatures, List<Signature> unverified) {

    /** Notes above this size are refused before parsing. */
    public static final int MAX_SIZE = 1 << 20;
    /** Notes with more signature lines are refused. */
    public static final int MAX_SIGNATURES = 100;

    private static final String DASH = "\u2014 ";

    /** One signature line: the key name, its key ID and the signature bytes after the key ID. */
    public record Signature(String name, int keyId, byte[] signature) {
        public Signature {
            signature = signature.clone();
        }

        String line() {
            byte[] data = new byte[4 + signature.length];
            data[0] = (byte) (keyId >>> 24);
            data[1] = (byte) (keyId >>> 16);
            data[2] = (byte) (keyId >>> 8);
            data[3] = (byte) keyId;
            System.arraycopy(signature, 0, data, 4, signature.length);
            return DASH + name + " " + Base64.getEncoder().encodeToString(data) + "\n";
        }
    }

    public Note {
        signatures = List.copyOf(signatures);
        unverified = List.copyOf(unverified);
    }

    /** Signs {@code text} with every signer, in order. */
    public static byte[] sign(String text, NoteSigner... signers) {
        if (!validText(text)) {
            throw new IllegalArgumentException("note text must be non-empty, end with a newline and contain no other control characters");
        }
        if (signers.length == 0) {
            throw new IllegalArgumentException("a signed note needs at least one signer");
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder note = new StringBuilder(text).append('\n');
        for (NoteSigner signer : signers) {
            byte[] sig = signer.sign(message);
            note.append(new Signature(signer.name(), signer.keyId(), java.util.Arrays.copyOfRange(sig, 4, sig.length)).line());
        }
        return note.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** This note with its verified signatures and then the unverified ones, as bytes. */
    public byte[] bytes() {
        StringBuilder note = new StringBuilder(text).append('\n');
        signatures.forEach(s -> note.append(s.line()));
        unverified.forEach(s -> note.append(s.line()));
        return note.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses {@code message} and checks its signatures against {@code verifiers}. Signatures by
     * unknown keys are kept as {@link #unverified()}; a signature by a known key that does not
     * verify is an error, not ignored.
     *
     * @throws MalformedNoteException when the note does not parse
     * @throws UnverifiedNoteException carrying the parsed note, when no known key signed it
     */
    public static Note open(byte[] message, Collection<NoteVerifier> verifiers) throws TlogException {
        if (message.length > MAX_SIZE) {
            throw new MalformedNoteException("note is " + message.length + " bytes, more than " + MAX_SIZE);
        }
        String all;
        try {
            all = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedNoteException("note is not UTF-8");
        }
        int split = all.lastIndexOf("\n\n");
        if (split < 0) {
            throw new MalformedNoteException("note has no blank line before its signatures");
        }
        String text = all.substring(0, split + 1);
        String block = all.substring(split + 2);
        if (!validText(text)) {
            throw new MalformedNoteException("note text is empty or contains control characters");
        }
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw new MalformedNoteException("note signatures must be lines ending in a newline");
        }
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new MalformedNoteException("note has " + lines.length + " signatures, more than " + MAX_SIGNATURES);
        }
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        List<Signature> verified = new ArrayList<>();
        List<Signature> unknown = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            Signature sig = parseLine(line);
            NoteVerifier verifier = verifiers.stream()
                    .filter(v -> v.name().equals(sig.name()) && v.keyId() == sig.keyId()).findFirst().orElse(null);
            if (verifier == null) {
                unknown.add(sig);
                continue;
            }
            if (!seen.add(sig.name() + "+" + sig.keyId())) {
                throw new MalformedNoteException("note is signed twice by " + sig.name());
            }
            if (!verifier.verify(textBytes, sig.signature())) {
                throw new TlogException("signature by " + sig.name() + "+" + NoteKeys.hex(sig.keyId()) + " does not verify");
            }
            verified.add(sig);
        }
        Note note = new Note(text, verified, unknown);
        if (verified.isEmpty()) {
            throw new UnverifiedNoteException(note);
        }
        return note;
    }

    private static Signature parseLine(String line) throws MalformedNoteException {
        if (!line.startsWith(DASH)) {
            throw new MalformedNoteException("signature line does not start with an em dash and a space");
        }
        String rest = line.substring(DASH.length());
        int space = rest.indexOf(' ');
        if (space <= 0) {
            throw new MalformedNoteException("signature line has no key name");
        }
        String name = rest.substring(0, space);
        if (!NoteKeys.validName(name)) {
            throw new MalformedNoteException("signature line has an invalid key name");
        }
        byte[] data;
        String encoded = rest.substring(space + 1);
        try {
            data = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException("signature by " + name + " is not base64");
        }
        if (!Base64.getEncoder().encodeToString(data).equals(encoded)) {
            // Only canonical base64 is accepted, so no two encodings of one signature exist.
            throw new MalformedNoteException("signature by " + name + " is not in canonical base64");
        }
        if (data.length < 5) {
            throw new MalformedNoteException("signature by " + name + " is too short");
        }
        int keyId = ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        return new Signature(name, keyId, java.util.Arrays.copyOfRange(data, 4, data.length));
    }

    static boolean validText(String text) {
        return text != null && !text.isEmpty() && text.endsWith("\n")
                && text.chars().noneMatch(c -> c != '\n' && (c < 0x20 || c == 0x7f));
    }
}
