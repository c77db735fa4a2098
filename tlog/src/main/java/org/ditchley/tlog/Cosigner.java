package org.ditchley.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A witness key that cosigns checkpoints (c2sp.org/tlog-cosignature, {@code cosignature/v1},
 * Ed25519). The key ID uses signature type 0x04, so the same key can never be taken for a
 * note-signing (0x01) key.
 */
public final class Cosigner {

    static final byte TYPE = 0x04;

    private final String name;
    private final Ed25519.Private key;
    private final CosignatureVerifier verifier;

    private Cosigner(String name, byte[] seed) {
        if (!NoteKeys.validName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        this.name = name;
        this.key = Ed25519.privateKey(seed);
        this.verifier = new CosignatureVerifier(name, key.publicKey());
    }

    public static Cosigner generate(String name) {
        byte[] seed = new byte[Ed25519.KEY_SIZE];
        new java.security.SecureRandom().nextBytes(seed);
        return new Cosigner(name, seed);
    }

    public static Cosigner fromSeed(String name, byte[] seed) {
        return new Cosigner(name, seed.clone());
    }

    public CosignatureVerifier verifier() {
        return verifier;
    }

    /**
     * Cosigns the note body of {@code checkpoint} (including extension lines) as of
     * {@code timestamp} seconds since the epoch, returning the signature line to append to the
     * checkpoint's note.
     */
    public Note.Signature cosign(Checkpoint checkpoint, long timestamp) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("a cosignature timestamp is not negative");
        }
        byte[] sig = Ed25519.sign(key, message(checkpoint.text(), timestamp));
        return new Note.Signature(name, verifier.keyId(), ByteBuffer.allocate(8 + sig.length).putLong(timestamp).put(sig).array());
    }

    /** {@code cosignature/v1\ntime <timestamp>\n} followed by the checkpoint's note body. */
    static byte[] message(String checkpointText, long timestamp) {
        return ("cosignature/v1\ntime " + timestamp + "\n" + checkpointText).getBytes(StandardCharsets.UTF_8);
    }

    /** The key's vkey string, {@code name+keyid+base64(0x04 ‖ public key)}. */
    @Override
    public String toString() {
        return verifier.toString();
    }

    static String vkey(String name, int keyId, byte[] publicKey) {
        byte[] data = new byte[1 + publicKey.length];
        data[0] = TYPE;
        System.arraycopy(publicKey, 0, data, 1, publicKey.length);
        return name + "+" + NoteKeys.hex(keyId) + "+" + Base64.getEncoder().encodeToString(data);
    }

    static byte[] tail(byte[] bytes, int from) {
        return Arrays.copyOfRange(bytes, from, bytes.length);
    }
}
