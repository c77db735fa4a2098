package org.ditchley.tlog;

import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 key that signs notes (c2sp.org/signed-note). Its secret form is Go's
 * {@code PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>}.
 */
public final class NoteSigner {

    private final String name;
    private final byte[] seed;
    private final Ed25519.Private key;
    private final NoteVerifier verifier;

    private NoteSigner(String name, byte[] seed) {
        if (!NoteKeys.validName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        this.name = name;
        this.seed = seed.clone();
        this.key = Ed25519.privateKey(seed);
        this.verifier = new NoteVerifier(name, key.publicKey());
    }

    /** A new random key called {@code name}. */
    public static NoteSigner generate(String name) {
        byte[] seed = new byte[Ed25519.KEY_SIZE];
        new java.security.SecureRandom().nextBytes(seed);
        return new NoteSigner(name, seed);
    }

    /** Parses a private key string; refuses a key ID that does not match the name and key. */
    public static NoteSigner parse(String skey) throws MalformedNoteException {
        String[] parts = skey == null ? new String[0] : skey.split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new MalformedNoteException("a signer key is PRIVATE+KEY+name+keyid+key");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException("signer key data is not base64");
        }
        if (data.length != 1 + Ed25519.KEY_SIZE || data[0] != NoteKeys.ED25519) {
            throw new MalformedNoteException("signer key is not an Ed25519 key (type 0x01 and 32 bytes)");
        }
        NoteSigner signer;
        try {
            signer = new NoteSigner(parts[2], Arrays.copyOfRange(data, 1, data.length));
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException(e.getMessage());
        }
        if (!NoteKeys.hex(signer.keyId()).equals(parts[3])) {
            throw new MalformedNoteException("signer key ID " + parts[3] + " does not match its name and key");
        }
        return signer;
    }

    /**
     * Which Ed25519 arithmetic signs and verifies notes in this process: AWS-LC through the
     * Amazon Corretto Crypto Provider (name and version) when it is on the class path and loads,
     * else "Bouncy Castle".
     */
    public static String arithmetic() {
        return Ed25519.implementation();
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return verifier.keyId();
    }

    public NoteVerifier verifier() {
        return verifier;
    }

    /** The signature of {@code message}: key ID (4 bytes, big-endian) then the 64-byte Ed25519 signature. */
    byte[] sign(byte[] message) {
        byte[] sig = Ed25519.sign(key, message);
        byte[] out = new byte[4 + sig.length];
        int id = keyId();
        out[0] = (byte) (id >>> 24);
        out[1] = (byte) (id >>> 16);
        out[2] = (byte) (id >>> 8);
        out[3] = (byte) id;
        System.arraycopy(sig, 0, out, 4, sig.length);
        return out;
    }

    /** The secret key string, to be stored with owner-only permissions. */
    public String secret() {
        byte[] data = new byte[1 + Ed25519.KEY_SIZE];
        data[0] = NoteKeys.ED25519;
        System.arraycopy(seed, 0, data, 1, Ed25519.KEY_SIZE);
        return "PRIVATE+KEY+" + name + "+" + NoteKeys.hex(keyId()) + "+" + Base64.getEncoder().encodeToString(data);
    }

    @Override
    public String toString() {
        return "NoteSigner[" + verifier + "]";
    }
}
