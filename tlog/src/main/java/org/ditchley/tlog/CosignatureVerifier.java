package org.ditchley.tlog;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/** Verifies {@code cosignature/v1} Ed25519 cosignatures of checkpoints (c2sp.org/tlog-cosignature). */
public final class CosignatureVerifier {

    private final String name;
    private final byte[] publicKey;
    private final Ed25519.Public key;
    private final int keyId;

    CosignatureVerifier(String name, byte[] publicKey) {
        if (!NoteKeys.validName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        this.name = name;
        this.publicKey = publicKey.clone();
        this.key = Ed25519.decode(publicKey);
        this.keyId = NoteKeys.keyId(name, Cosigner.TYPE, publicKey);
    }

    /** Parses {@code name+keyid+base64(0x04 ‖ 32-byte Ed25519 key)}. */
    public static CosignatureVerifier parse(String vkey) throws MalformedNoteException {
        String[] parts = vkey == null ? new String[0] : vkey.split("\\+", 3);
        if (parts.length != 3) {
            throw new MalformedNoteException("a cosigner key is name+keyid+key");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException("cosigner key data is not base64");
        }
        if (data.length != 1 + Ed25519.KEY_SIZE || data[0] != Cosigner.TYPE) {
            throw new MalformedNoteException("not an Ed25519 cosigner key (type 0x04 and 32 bytes)");
        }
        CosignatureVerifier verifier;
        try {
            verifier = new CosignatureVerifier(parts[0], Arrays.copyOfRange(data, 1, data.length));
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException(e.getMessage());
        }
        if (!NoteKeys.hex(verifier.keyId).equals(parts[1])) {
            throw new MalformedNoteException("cosigner key ID " + parts[1] + " does not match its name and key");
        }
        return verifier;
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** Whether a signature line of a note is this cosigner's (by name and key ID). */
    public boolean matches(Note.Signature signature) {
        return signature.name().equals(name) && signature.keyId() == keyId;
    }

    /**
     * Verifies {@code signature} as this cosigner's cosignature of {@code checkpoint} and returns
     * its timestamp (seconds since the epoch).
     */
    public long verify(Checkpoint checkpoint, Note.Signature signature) throws TlogException {
        if (!matches(signature)) {
            throw new TlogException("signature by " + signature.name() + "+" + NoteKeys.hex(signature.keyId())
                    + " is not by cosigner " + name + "+" + NoteKeys.hex(keyId));
        }
        byte[] data = signature.signature();
        if (data.length != 8 + Ed25519.SIGNATURE_SIZE) {
            throw new MalformedNoteException("a cosignature is 72 bytes, not " + data.length);
        }
        long timestamp = ByteBuffer.wrap(data).getLong();
        if (timestamp < 0) {
            throw new MalformedNoteException("cosignature timestamp exceeds 2^63 - 1");
        }
        if (!Ed25519.verify(key, Cosigner.message(checkpoint.text(), timestamp), Cosigner.tail(data, 8))) {
            throw new TlogException("cosignature by " + name + " does not verify for " + checkpoint.origin()
                    + " at size " + checkpoint.size());
        }
        return timestamp;
    }

    @Override
    public String toString() {
        return Cosigner.vkey(name, keyId, publicKey);
    }
}
