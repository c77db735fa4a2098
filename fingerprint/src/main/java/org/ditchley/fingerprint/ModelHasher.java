package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Computes the model-signing manifest of a model file or directory: the SHA-256 of every file
 * ({@code files}) or of every {@code shardSize}-byte shard of every file ({@code shards}),
 * read in 1 MiB chunks. Files and shards are hashed in parallel on all cores, each streaming
 * through one reused buffer, so memory stays at a buffer per core whatever the model's size.
 *
 * <p>Resources are named by their path relative to the model directory, {@code /}-separated; a
 * model that is a single file is one resource named {@code .} (its path relative to itself), as
 * model-signing names it. Paths named in {@code ignore} (by default {@code .git}, {@code .gitattributes},
 * {@code .github}, {@code .gitignore} and the signature file {@code model.sig}) are skipped with
 * everything under them. Symbolic links are refused unless allowed; when allowed, a link loop is
 * refused.
 */
public final class ModelHasher {

    public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;
    public static final List<String> DEFAULT_IGNORE = List.of(".git", ".gitattributes", ".github", ".gitignore", "model.sig");
    static final int CHUNK = 1 << 20;

    /**
     * Which SHA-256 hashes the files: OpenSSL's {@code libcrypto} where the system has it (the
     * faster), otherwise the JDK's; both give the same digests.
     */
    public static String sha256Implementation() {
        return Sha256.implementation();
    }

    /**
     * Starts loading the native SHA-256 on a background thread and returns at once, so that a
     * tool can overlap that with its own start-up; hashing waits for it in any case.
     */
    public static void preload() {
        Thread t = new Thread(Sha256::implementation, "sha256-preload");
        t.setDaemon(true);
        t.start();
    }

    /** How to hash: by file or by shard, which paths to skip, whether to follow symlinks, how many threads. */
    public record Options(boolean sharded, long shardSize, boolean allowSymlinks, List<String> ignore, int threads) {
        public Options {
            if (shardSize < 1) {
                throw new IllegalArgumentException("shard size must be positive");
            }
            ignore = List.copyOf(ignore);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive");
            }
        }

        public static Options files() {
            return new Options(false, DEFAULT_SHARD_SIZE, false, DEFAULT_IGNORE, Runtime.getRuntime().availableProcessors());
        }

        public static Options shards() {
            return new Options(true, DEFAULT_SHARD_SIZE, false, DEFAULT_IGNORE, Runtime.getRuntime().availableProcessors());
        }

        public Options withShardSize(long size) {
            return new Options(sharded, size, allowSymlinks, ignore, threads);
        }

        public Options withSymlinks(boolean allowed) {
            return new Options(sharded, shardSize, allowed, ignore, threads);
        }
    }

    private record Piece(String name, Path file, long start, long end) {
    }

    private ModelHasher() {
    }

    /**
     * The manifest of {@code model}; {@code progress} receives the bytes hashed as they are.
     *
     * @throws MalformedModelException for a refused symlink or a link loop
     */
    public static Manifest hash(Path model, Options options, LongConsumer progress) throws IOException, FingerprintException {
        List<Path> files = files(model, options);
        List<Piece> pieces = new ArrayList<>();
        Path base = Files.isDirectory(model) ? model : model.getParent();
        for (Path file : files) {
            String name = Files.isDirectory(model) ? relative(base, file) : ".";
            long size = Files.size(file);
            if (!options.sharded()) {
                pieces.add(new Piece(name, file, 0, size));
            } else {
                // as model-signing shards: [0, s), [s, 2s), …, [ks, size); an empty file has none
                long start = 0;
                while (start < size) {
                    long end = Math.min(size, start + options.shardSize());
                    pieces.add(new Piece(name + ":" + start + ":" + end, file, start, end));
                    start = end;
                }
            }
        }
        List<Piece> biggestFirst = new ArrayList<>(pieces);
        biggestFirst.sort(Comparator.comparingLong((Piece p) -> p.end() - p.start()).reversed());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), Math.max(1, pieces.size())), r -> {
            Thread t = new Thread(r, "model-hasher");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK));
        try {
            List<Future<Manifest.Resource>> done = new ArrayList<>();
            for (Piece p : biggestFirst) {
                done.add(pool.submit(() -> new Manifest.Resource(p.name(), digest(p, buffers.get(), progress))));
            }
            List<Manifest.Resource> resources = new ArrayList<>();
            for (Future<Manifest.Resource> f : done) {
                resources.add(f.get());
            }
            String modelName = model.toAbsolutePath().normalize().getFileName() == null ? "model"
                    : model.toAbsolutePath().normalize().getFileName().toString();
            List<String> ignored = options.ignore().stream().sorted().toList();
            return new Manifest(modelName, new Manifest.Serialization(options.sharded() ? "shards" : "files",
                    options.shardSize(), options.allowSymlinks(), ignored), resources);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing " + model, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("hashing " + model + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Digest digest(Piece p, ByteBuffer buf, LongConsumer progress) throws IOException {
        try (FileChannel ch = FileChannel.open(p.file(), StandardOpenOption.READ); Sha256 sha = Sha256.start()) {
            long at = p.start();
            while (at < p.end()) {
                buf.clear().limit((int) Math.min(CHUNK, p.end() - at));
                int n = ch.read(buf, at);
                if (n < 0) {
                    throw new IOException(p.file() + " shrank while it was hashed");
                }
                at += n;
                sha.update(buf.flip());
                progress.accept(n);
            }
            return sha.finish();
        }
    }

    /** The regular files of {@code model}, minus ignored paths; refuses symlinks unless allowed, and link loops. */
    public static List<Path> files(Path model, Options options) throws IOException, MalformedModelException {
        if (!Files.exists(model, LinkOption.NOFOLLOW_LINKS)) {
            throw new MalformedModelException(model + " does not exist");
        }
        if (Files.isSymbolicLink(model) && !options.allowSymlinks()) {
            throw new MalformedModelException(model + " is a symbolic link; allow symlinks to follow it");
        }
        if (Files.isRegularFile(model)) {
            return List.of(model);
        }
        if (!Files.isDirectory(model)) {
            throw new MalformedModelException(model + " is neither a file nor a directory");
        }
        List<Path> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<FileVisitOption> follow = options.allowSymlinks() ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        Files.walkFileTree(model, follow, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(model) && ignored(model, dir, options) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (ignored(model, file, options)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    problems.add(relative(model, file) + " is a symbolic link; allow symlinks to follow it");
                    return FileVisitResult.TERMINATE;
                }
                if (attrs.isRegularFile()) {
                    out.add(file);
                } else if (!attrs.isDirectory()) {
                    problems.add(relative(model, file) + " is not a regular file");
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException) {
                    problems.add(relative(model, file) + " is a symbolic link loop");
                    return FileVisitResult.TERMINATE;
                }
                throw e;
            }
        });
        if (!problems.isEmpty()) {
            throw new MalformedModelException(model + ": " + problems.get(0));
        }
        if (out.isEmpty()) {
            throw new MalformedModelException(model + " contains no regular files once ignored paths are left out");
        }
        return out;
    }

    private static boolean ignored(Path model, Path p, Options options) {
        String rel = relative(model, p);
        for (String ignore : options.ignore()) {
            if (rel.equals(ignore) || rel.startsWith(ignore + "/")) {
                return true;
            }
        }
        return false;
    }

    static String relative(Path base, Path p) {
        List<String> parts = new ArrayList<>();
        base.relativize(p).forEach(part -> parts.add(part.toString()));
        return String.join("/", parts);
    }
}
