package org.ditchley.fingerprint;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * One streaming SHA-256 computation over a file's or shard's bytes: OpenSSL's when
 * {@link OpenSslSha256#available()}, otherwise the JDK's. Both give the same digest; OpenSSL's
 * reads direct buffers in place and is the faster. {@code -Dditchley.sha256=jdk} picks the JDK's.
 * Not for use by two threads at once; {@link #close()} frees what {@link #finish()} did not.
 */
final class Sha256 implements AutoCloseable {

    private final OpenSslSha256.Context openssl;
    private final MessageDigest jdk;

    private Sha256(OpenSslSha256.Context openssl, MessageDigest jdk) {
        this.openssl = openssl;
        this.jdk = jdk;
    }

    /** A new computation, with OpenSSL's SHA-256 when it is available. */
    static Sha256 start() {
        return OpenSslSha256.available() ? openssl() : jdk();
    }

    /** A new computation with OpenSSL's SHA-256; {@link OpenSslSha256#available()} must be true. */
    static Sha256 openssl() {
        return new Sha256(OpenSslSha256.start(), null);
    }

    /** A new computation with the JDK's SHA-256. */
    static Sha256 jdk() {
        return new Sha256(null, Digest.sha256());
    }

    /** Which implementation {@link #start()} uses: "OpenSSL libcrypto", or the JDK provider's name. */
    static String implementation() {
        return OpenSslSha256.available() ? "OpenSSL libcrypto" : Digest.sha256().getProvider().getName();
    }

    /** Hashes the buffer's remaining bytes and moves its position to its limit. */
    void update(ByteBuffer bytes) {
        if (openssl != null && bytes.isDirect()) {
            openssl.update(bytes);
        } else if (openssl != null) {
            int n = bytes.remaining();
            byte[] copy = new byte[n];
            bytes.get(copy);
            openssl.update(copy, 0, n);
        } else {
            jdk.update(bytes);
        }
    }

    /** The digest of everything hashed. */
    Digest finish() {
        return Digest.of(openssl != null ? openssl.finish() : jdk.digest());
    }

    @Override
    public void close() {
        if (openssl != null) {
            openssl.close();
        }
    }
}
