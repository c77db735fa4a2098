package org.ditchley.fingerprint;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * SHA-256 (FIPS 180-4) from the system's OpenSSL {@code libcrypto} (3.x or 1.1), through its EVP
 * digest interface, called over JNA. It reads a direct buffer in place, where the JDK's
 * {@code MessageDigest} first copies it to the heap; on a CPU with the SHA extensions, which the
 * JDK's intrinsic uses too, that came to about 7% less CPU per byte in a profile of a whole
 * fingerprint run. Loading costs milliseconds, not the 0.3 s of a full JCA provider.
 *
 * <p>{@link #available()} is true only when the library loaded and passed {@link #selfCheck}.
 * A context is native memory: {@link Context#close()} frees it, and a context must not be used
 * by two threads at once.
 */
final class OpenSslSha256 {

    private static final int SHA256_LENGTH = 32;
    private static final Pointer SHA256;

    static {
        Pointer md = null;
        if (!"jdk".equals(System.getProperty("ditchley.sha256"))) {
            for (String name : List.of("libcrypto.so.3", "libcrypto.so.1.1", "crypto")) {
                try {
                    Native.register(OpenSslSha256.class, NativeLibrary.getInstance(name));
                    md = EVP_sha256();
                    if (md != null && !selfCheck()) {
                        md = null;
                    }
                    break;
                } catch (LinkageError | RuntimeException e) {
                    md = null;
                }
            }
        }
        SHA256 = md;
    }

    private OpenSslSha256() {
    }

    private static native Pointer EVP_sha256();

    private static native Pointer EVP_MD_CTX_new();

    private static native void EVP_MD_CTX_free(Pointer ctx);

    private static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

    private static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

    private static native int EVP_DigestUpdate(Pointer ctx, byte[] data, long count);

    private static native int EVP_DigestFinal_ex(Pointer ctx, byte[] digest, Pointer length);

    /** Whether OpenSSL's SHA-256 loaded and hashes the FIPS 180-4 examples right. */
    static boolean available() {
        return SHA256 != null;
    }

    /**
     * FIPS 180-4's examples ("abc", and the 448-bit two-block message), and a million 'a's fed in
     * uneven pieces from a direct buffer, must hash to their published digests.
     */
    private static boolean selfCheck() {
        try {
            if (!hex(oneShot("abc".getBytes())).equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
                    || !hex(oneShot("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes()))
                    .equals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")) {
                return false;
            }
            byte[] as = new byte[1_000_000];
            java.util.Arrays.fill(as, (byte) 'a');
            ByteBuffer a = ByteBuffer.allocateDirect(as.length).put(as);
            try (Context c = new Context(EVP_sha256())) {
                for (int at = 0, step = 1; at < 1_000_000; at += step, step = step * 3 + 1) {
                    c.update(a.clear().position(at).limit(Math.min(1_000_000, at + step)));
                }
                return hex(c.finish()).equals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
            }
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    private static byte[] oneShot(byte[] message) {
        try (Context c = new Context(EVP_sha256())) {
            c.update(message, 0, message.length);
            return c.finish();
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** A new SHA-256 computation; {@link #available()} must be true. */
    static Context start() {
        if (SHA256 == null) {
            throw new IllegalStateException("OpenSSL's SHA-256 is not available");
        }
        return new Context(SHA256);
    }

    /** One SHA-256 computation in an {@code EVP_MD_CTX}. */
    static final class Context implements AutoCloseable {
        private Pointer ctx;

        private Context(Pointer md) {
            ctx = EVP_MD_CTX_new();
            if (ctx == null) {
                throw new OutOfMemoryError("EVP_MD_CTX_new failed");
            }
            if (EVP_DigestInit_ex(ctx, md, null) != 1) {
                close();
                throw new IllegalStateException("EVP_DigestInit_ex failed for SHA-256");
            }
        }

        /** Hashes the direct buffer's remaining bytes, read in place, and moves its position to its limit. */
        void update(ByteBuffer direct) {
            if (!direct.isDirect()) {
                throw new IllegalArgumentException("only a direct buffer is read in place");
            }
            int n = direct.remaining();
            if (n > 0) {
                check(EVP_DigestUpdate(live(), Native.getDirectBufferPointer(direct).share(direct.position()), n), "EVP_DigestUpdate");
                direct.position(direct.limit());
            }
        }

        /** Hashes {@code length} bytes of {@code bytes} from {@code offset} (copied to native memory). */
        void update(byte[] bytes, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            byte[] part = offset == 0 && length == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, offset, offset + length);
            check(EVP_DigestUpdate(live(), part, length), "EVP_DigestUpdate");
        }

        /** The digest of everything hashed; the context is spent. */
        byte[] finish() {
            byte[] out = new byte[SHA256_LENGTH];
            check(EVP_DigestFinal_ex(live(), out, null), "EVP_DigestFinal_ex");
            close();
            return out;
        }

        private Pointer live() {
            if (ctx == null) {
                throw new IllegalStateException("this SHA-256 computation is finished");
            }
            return ctx;
        }

        private static void check(int result, String call) {
            if (result != 1) {
                throw new IllegalStateException(call + " failed");
            }
        }

        @Override
        public void close() {
            if (ctx != null) {
                EVP_MD_CTX_free(ctx);
                ctx = null;
            }
        }
    }
}
