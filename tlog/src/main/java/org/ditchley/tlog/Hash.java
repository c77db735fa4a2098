package org.ditchley.tlog;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A SHA-256 value: exactly 32 bytes, compared in constant time, with hex and base64 forms. */
public final class Hash {

    public static final int SIZE = 32;

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}; refuses anything but 32 bytes. */
    public static Hash of(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException("a hash is " + SIZE + " bytes, not " + (bytes == null ? "null" : bytes.length));
        }
        return new Hash(bytes.clone());
    }

    public static Hash fromBase64(String base64) {
        try {
            return of(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 SHA-256 hash: " + abbreviate(base64), e);
        }
    }

    public static Hash fromHex(String hex) {
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex SHA-256 hash: " + abbreviate(hex), e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes into {@code digest} without copying. */
    void update(MessageDigest digest) {
        digest.update(bytes);
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Hash h && MessageDigest.isEqual(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return base64();
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
