package org.ditchley.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run the build records the command line's class-data archive from
 * ({@code -XX:ArchiveClassesAtExit}, JDK 13+): it fingerprints a small safetensors model, by
 * file and by shard, and prints every command's help, so that the archive holds the classes
 * those load. The {@code ditchley} launcher maps the archive at start-up instead of loading
 * and verifying the classes again. Writes only in a temporary directory, which it removes.
 */
final class ClassDataTraining {

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("ditchley-class-data");
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            System.setOut(sink);
            System.setErr(sink);
            Path model = Files.createDirectories(dir.resolve("model"));
            Files.write(model.resolve("model.safetensors"), safetensors());
            Files.writeString(model.resolve("config.json"), "{}");
            check(Ditchley.run("fingerprint", model.toString(), "--out", dir.resolve("files.json").toString()), "fingerprint");
            check(Ditchley.run("fingerprint", model.toString(), "--sharded", "--out", dir.resolve("shards.json").toString()), "fingerprint --sharded");
            for (String[] help : new String[][] {{"--help"}, {"log", "verify", "--help"}, {"log", "check-receipt", "--help"},
                    {"identify", "--help"}, {"agent", "run", "--help"}, {"agent", "keygen", "--help"}}) {
                check(Ditchley.run(help), String.join(" ", help));
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void check(int status, String command) {
        if (status != 0) {
            throw new IllegalStateException("ditchley " + command + " exited with " + status);
        }
    }

    /** A safetensors file of one 64 × 128 BF16 matrix and one 128-value F32 vector. */
    private static byte[] safetensors() {
        int matrix = 64 * 128 * 2;
        int vector = 128 * 4;
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"model.layers.0.mlp.up_proj.weight\":{\"dtype\":\"BF16\",\"shape\":[64,128],\"data_offsets\":[0," + matrix + "]},"
                + "\"model.norm.weight\":{\"dtype\":\"F32\",\"shape\":[128],\"data_offsets\":[" + matrix + "," + (matrix + vector) + "]}}";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + matrix + vector).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < 64 * 128; i++) {
            b.putShort((short) (Float.floatToIntBits((float) Math.sin(i)) >>> 16));
        }
        for (int i = 0; i < 128; i++) {
            b.putFloat(1f);
        }
        return b.array();
    }
}
