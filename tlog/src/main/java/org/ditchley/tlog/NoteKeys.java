package org.ditchley.tlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Key names and key IDs of c2sp.org/signed-note. */
final class NoteKeys {

    /** The signature type byte of Ed25519 keys. */
    static final byte ED25519 = 0x01;

    private NoteKeys() {
    }

    /** Key ID: the first four bytes of {@code SHA-256(name ‖ 0x0A ‖ type ‖ public key)}, big-endian. */
    static int keyId(String name, byte type, byte[] publicKey) {
        MessageDigest sha = Rfc6962.sha256();
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(type);
        sha.update(publicKey);
        byte[] h = sha.digest();
        return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    }

    /** A key name: non-empty, with no Unicode spaces and no plus sign. */
    static boolean validName(String name) {
        return name != null && !name.isEmpty() && name.codePoints().noneMatch(c -> Character.isWhitespace(c)
                || Character.isSpaceChar(c) || c == '+' || Character.isISOControl(c));
    }

    static String hex(int keyId) {
        return String.format("%08x", keyId);
    }
}
