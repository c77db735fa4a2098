package org.ditchley.fingerprint;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenSSF model-signing manifest: the model's name, how it was serialized, and the digest of
 * every resource (a file, or a shard {@code path:start:end} of one), in model-signing's order.
 * Its subject digest, SHA-256 of the resources' raw digests concatenated in that order, is the
 * identity of the artifact: equal for any exact copy.
 */
public record Manifest(String modelName, Serialization serialization, List<Resource> resources) {

    /** How the model was read: {@code files} or {@code shards} (of {@code shardSize} bytes). */
    public record Serialization(String method, long shardSize, boolean allowSymlinks, List<String> ignorePaths) {
        public Serialization {
            if (!method.equals("files") && !method.equals("shards")) {
                throw new IllegalArgumentException("serialization method is files or shards, not " + method);
            }
            ignorePaths = List.copyOf(ignorePaths);
        }
    }

    /** A file, or a shard of one, and its SHA-256. */
    public record Resource(String name, Digest digest) {
        public Resource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(digest, "digest");
        }
    }

    /** Resources in model-signing's order: by path components, then a shard's start and end as numbers. */
    public static final Comparator<String> ORDER = (a, b) -> {
        String[] x = shard(a);
        String[] y = shard(b);
        int c = PathOrder.INSTANCE.compare(x[0], y[0]);
        if (c != 0 || x.length == 1 || y.length == 1) {
            return c != 0 ? c : Integer.compare(x.length, y.length);
        }
        c = Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
        return c != 0 ? c : Long.compare(Long.parseLong(x[2]), Long.parseLong(y[2]));
    };

    public Manifest {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(serialization, "serialization");
        List<Resource> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(Resource::name, ORDER));
        resources = List.copyOf(sorted);
    }

    static int order(String a, String b) {
        return ORDER.compare(a, b);
    }

    /** {@code path:start:end} split into its three parts when it has that form, else the name alone. */
    private static String[] shard(String name) {
        int end = name.lastIndexOf(':');
        int start = end < 0 ? -1 : name.lastIndexOf(':', end - 1);
        if (start > 0 && digits(name, start + 1, end) && digits(name, end + 1, name.length())) {
            return new String[] {name.substring(0, start), name.substring(start + 1, end), name.substring(end + 1)};
        }
        return new String[] {name};
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to || to - from > 18) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** SHA-256 over the resources' raw digests, in order. */
    public Digest subjectDigest() {
        MessageDigest sha = Digest.sha256();
        resources.forEach(r -> sha.update(r.digest().bytes()));
        return Digest.of(sha.digest());
    }

    /** The resources' algorithm as model-signing names it: {@code sha256}, or {@code sha256-sharded-<size>} for shards. */
    public String algorithm() {
        return serialization.method().equals("shards") ? "sha256-sharded-" + serialization.shardSize() : "sha256";
    }

    /** The in-toto Statement v1 that model-signing signs for this manifest. */
    public ObjectNode statement() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("_type", OmsStatement.STATEMENT_TYPE);
        ObjectNode subject = root.putArray("subject").addObject();
        subject.put("name", modelName);
        subject.putObject("digest").put("sha256", subjectDigest().hex());
        root.put("predicateType", OmsStatement.PREDICATE_TYPE);
        ObjectNode predicate = root.putObject("predicate");
        ObjectNode s = predicate.putObject("serialization");
        s.put("method", serialization.method());
        s.put("hash_type", "sha256");
        if (serialization.method().equals("shards")) {
            s.put("shard_size", serialization.shardSize());
        }
        s.put("allow_symlinks", serialization.allowSymlinks());
        ArrayNode ignore = s.putArray("ignore_paths");
        serialization.ignorePaths().forEach(ignore::add);
        ArrayNode list = predicate.putArray("resources");
        for (Resource r : resources) {
            list.addObject().put("name", r.name()).put("algorithm", algorithm()).put("digest", r.digest().hex());
        }
        return root;
    }
}
