package org.ditchley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives a running node over HTTP as its users would: sets up the first regulator with the
 * one-time token, creates organisations, invites and signs up accounts, and calls the API with
 * their tokens.
 */
@TestComponent
public class Node {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final java.util.function.IntSupplier port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path dataDir;
    private Caller regulator;

    @org.springframework.beans.factory.annotation.Autowired
    Node(Environment environment, @Value("${ditchley.db.data-dir}") Path dataDir) {
        this(() -> Integer.parseInt(environment.getProperty("local.server.port")), dataDir);
    }

    private Node(java.util.function.IntSupplier port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    /** A node running in another process, on {@code port} with {@code dataDir}. */
    public static Node at(int port, Path dataDir) {
        return new Node(() -> port, dataDir);
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port.getAsInt() + path);
    }

    public Path dataDir() {
        return dataDir;
    }

    /** An HTTP response with its body parsed as JSON when it is JSON. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 500 ? body.substring(0, 500) : body);
        }
    }

    /** Someone calling the API: anonymous (no token) or with an API token. */
    public final class Caller {
        private final String token;
        public final UUID accountId;
        public final UUID organisationId;

        Caller(String token, UUID accountId, UUID organisationId) {
            this.token = token;
            this.accountId = accountId;
            this.organisationId = organisationId;
        }

        public Response get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        public Response post(String path, Object body) {
            return send("POST", path, "application/json", HttpRequest.BodyPublishers.ofString(json(body)));
        }

        /** POSTs {@code body} as JSON with one extra request header. */
        public Response post(String path, Object body, String header, String value) {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").header(header, value)
                    .POST(HttpRequest.BodyPublishers.ofString(json(body))));
        }

        public Response put(String path, Object body) {
            return send("PUT", path, "application/json", HttpRequest.BodyPublishers.ofString(json(body)));
        }

        public Response delete(String path) {
            return send(HttpRequest.newBuilder(uri(path)).DELETE());
        }

        /** Sends {@code body} as-is with the given content type. */
        public Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).method(method, body);
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            return send(builder);
        }

        private Response send(HttpRequest.Builder builder) {
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            builder.timeout(Duration.ofSeconds(60));
            try {
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.body(), response.headers());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public Caller anonymous() {
        return new Caller(null, null, null);
    }

    public Caller withToken(String token) {
        return new Caller(token, null, null);
    }

    /** The first regulator, created through the one-time set-up token on first use. */
    public synchronized Caller regulator() {
        if (regulator == null) {
            String token;
            try {
                token = Files.readString(dataDir.resolve("setup-token")).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("no set-up token in " + dataDir, e);
            }
            Response r = anonymous().post("/api/v1/setup", Map.of("token", token, "organisation", "Test Regulator",
                    "jurisdiction", "GB", "name", "First Officer", "email", "officer@regulator.test",
                    "password", "a long enough password"));
            if (r.status() != 201) {
                throw new IllegalStateException("set-up failed: " + r);
            }
            regulator = caller(r.json());
        }
        return regulator;
    }

    /** A new organisation of {@code kind}, created by the regulator. */
    public UUID organisation(String kind) {
        Response r = regulator().post("/api/v1/organisations", Map.of("name", kind + " org " + SEQUENCE.incrementAndGet()
                + " " + UUID.randomUUID().toString().substring(0, 8), "kind", kind, "jurisdiction", "US"));
        if (r.status() != 201) {
            throw new IllegalStateException("could not create organisation: " + r);
        }
        return UUID.fromString(r.json().get("id").asString());
    }

    /** A new account in {@code organisationId} with {@code roles}, invited by the regulator and signed up. */
    public Caller account(UUID organisationId, String... roles) {
        String email = "user" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.test";
        Response invite = regulator().post("/api/v1/organisations/" + organisationId + "/invitations",
                Map.of("email", email, "roles", java.util.List.of(roles)));
        if (invite.status() != 201) {
            throw new IllegalStateException("invitation failed: " + invite);
        }
        Response accepted = anonymous().post("/api/v1/invitations/accept", Map.of("token",
                invite.json().get("token").asString(), "name", "Someone", "password", "another long password"));
        if (accepted.status() != 201) {
            throw new IllegalStateException("acceptance failed: " + accepted);
        }
        return caller(accepted.json());
    }

    /** A new developer organisation with one DEVELOPER account. */
    public Caller developer() {
        return account(organisation("DEVELOPER"), "DEVELOPER");
    }

    private Caller caller(JsonNode opened) {
        return new Caller(opened.get("apiToken").asString(), UUID.fromString(opened.get("accountId").asString()),
                UUID.fromString(opened.get("organisationId").asString()));
    }

    public static String json(Object body) {
        return body instanceof String s ? s : JSON.writeValueAsString(body);
    }

    public static Path testdata() {
        String configured = System.getProperty("ditchley.testdata");
        Path path = configured != null ? Path.of(configured) : Path.of("..", "..", "shared", "testdata");
        return path.toAbsolutePath().normalize();
    }
}
