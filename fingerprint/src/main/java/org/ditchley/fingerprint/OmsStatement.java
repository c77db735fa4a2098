package org.ditchley.fingerprint;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads and checks an OpenSSF model-signing in-toto statement (predicate type
 * {@value #PREDICATE_TYPE}): its resources, each a name with a SHA-256 digest, must be in
 * model-signing's path order and its subject digest must be SHA-256 of their raw digests
 * concatenated. The subject digest is then the artifact's identity: any exact copy has it.
 */
public final class OmsStatement {

    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";
    public static final int MAX_RESOURCES = 1_000_000;

    /** A checked statement: subject name, subject digest, serialization method and resources in order. */
    public record Checked(String name, Digest subject, String method, List<Manifest.Resource> resources) {
    }

    private OmsStatement() {
    }

    public static Checked read(JsonNode statement) throws MalformedModelException {
        if (statement == null || !statement.isObject()) {
            throw bad("is not a JSON object");
        }
        if (!STATEMENT_TYPE.equals(text(statement.get("_type")))) {
            throw bad("_type is not " + STATEMENT_TYPE);
        }
        if (!PREDICATE_TYPE.equals(text(statement.get("predicateType")))) {
            throw bad("predicateType is not " + PREDICATE_TYPE);
        }
        JsonNode subjects = statement.get("subject");
        if (subjects == null || !subjects.isArray() || subjects.size() != 1) {
            throw bad("does not have exactly one subject");
        }
        JsonNode subject = subjects.get(0);
        String name = text(subject.get("name"));
        Digest digest = hex(subject.get("digest") == null ? null : subject.get("digest").get("sha256"), "subject digest sha256");
        JsonNode predicate = statement.get("predicate");
        if (predicate == null || !predicate.isObject()) {
            throw bad("has no predicate object");
        }
        JsonNode serialization = predicate.get("serialization");
        String method = serialization == null ? null : text(serialization.get("method"));
        if (!"files".equals(method) && !"shards".equals(method)) {
            throw bad("predicate.serialization.method is not files or shards");
        }
        JsonNode resources = predicate.get("resources");
        if (resources == null || !resources.isArray() || resources.size() > MAX_RESOURCES) {
            throw bad("predicate.resources is not a list of at most " + MAX_RESOURCES);
        }
        List<Manifest.Resource> out = new ArrayList<>();
        MessageDigest sha = Digest.sha256();
        String previous = null;
        for (JsonNode r : resources) {
            String resource = text(r == null ? null : r.get("name"));
            if (resource == null || resource.isEmpty() || resource.length() > 4096) {
                throw bad("has a resource without a name of 1 to 4096 characters");
            }
            String algorithm = text(r.get("algorithm"));
            if (!"sha256".equals(algorithm) && (algorithm == null || !algorithm.matches("sha256-sharded-[1-9][0-9]{0,18}"))) {
                throw bad("resource " + resource + " is not hashed with sha256 (or sha256-sharded-N for shards)");
            }
            Digest d = hex(r.get("digest"), "digest of resource " + resource);
            if (previous != null && Manifest.order(previous, resource) >= 0) {
                throw bad("resource " + resource + " is out of order after " + previous);
            }
            previous = resource;
            sha.update(d.bytes());
            out.add(new Manifest.Resource(resource, d));
        }
        Digest computed = Digest.of(sha.digest());
        if (!computed.equals(digest)) {
            throw bad("subject digest " + digest.hex() + " is not the digest of its resources, " + computed.hex());
        }
        return new Checked(name, digest, method, out);
    }

    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.asString() : null;
    }

    private static Digest hex(JsonNode n, String what) throws MalformedModelException {
        String s = text(n);
        try {
            return Digest.fromHex(s);
        } catch (IllegalArgumentException e) {
            throw bad(what + " is not 64 hex digits");
        }
    }

    private static MalformedModelException bad(String problem) {
        return new MalformedModelException("model-signing statement " + problem);
    }
}
