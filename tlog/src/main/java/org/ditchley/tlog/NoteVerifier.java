package org.ditchley.tlog;

import java.util.Base64;

/**
 * A key that verifies signed notes, with its c2sp.org/signed-note verifier key string
 * {@code <name>+<hex key ID>+<base64(0x01 ‖ Ed25519 public key)>}.
 */
public final class NoteVerifier {

    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final Ed25519.Public key;

    NoteVerifier(String name, byte[] publicKey) {
        if (!NoteKeys.validName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        this.name = name;
        this.publicKey = publicKey.clone();
        this.key = Ed25519.decode(publicKey);
        this.keyId = NoteKeys.keyId(name, NoteKeys.ED25519, publicKey);
    }

    /** Parses a verifier key string; refuses a key ID that does not match the name and key. */
    public static NoteVerifier parse(String vkey) throws MalformedNoteException {
        String[] parts = vkey == null ? new String[0] : vkey.split("\\+", 3);
        if (parts.length != 3) {
            throw new MalformedNoteException("a verifier key is name+keyid+key, not " + abbreviate(vkey));
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException("verifier key data is not base64");
        }
        if (data.length != 1 + Ed25519.KEY_SIZE || data[0] != NoteKeys.ED25519) {
            throw new MalformedNoteException("verifier key is not an Ed25519 key (type 0x01 and 32 bytes)");
        }
        if (!parts[1].matches("[0-9a-f]{8}")) {
            throw new MalformedNoteException("verifier key ID '" + parts[1] + "' is not 8 lower-case hex digits");
        }
        NoteVerifier verifier;
        try {
            verifier = new NoteVerifier(parts[0], java.util.Arrays.copyOfRange(data, 1, data.length));
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException(e.getMessage());
        }
        if (!NoteKeys.hex(verifier.keyId).equals(parts[1])) {
            throw new MalformedNoteException("verifier key ID " + parts[1] + " does not match its name and key ("
                    + NoteKeys.hex(verifier.keyId) + ")");
        }
        return verifier;
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(key, message, signature);
    }

    /** The verifier key string. */
    @Override
    public String toString() {
        byte[] data = new byte[1 + Ed25519.KEY_SIZE];
        data[0] = NoteKeys.ED25519;
        System.arraycopy(publicKey, 0, data, 1, Ed25519.KEY_SIZE);
        return name + "+" + NoteKeys.hex(keyId) + "+" + Base64.getEncoder().encodeToString(data);
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
