package org.ditchley.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ditchley.fingerprint.FingerprintException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ditchley identify PATH --server URL}: fingerprints the model here and asks the node which
 * registered artifacts and models it is, or descends from. Only the statement and the fingerprint
 * leave the machine, never the weights.
 */
@Command(name = "identify", mixinStandardHelpOptions = true,
        description = {"Fingerprints a model file or directory locally and asks a Ditchley node what it is.",
                "Exit status: 0 answered, 1 the model is malformed, 2 usage, I/O or server error."})
final class IdentifyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "A model file or directory")
    Path path;

    @Option(names = "--server", required = true, description = "The node, e.g. https://registry.example")
    URI server;

    @Option(names = "--token", defaultValue = "${env:DITCHLEY_TOKEN}", description = "An API token (default: $DITCHLEY_TOKEN)")
    String token;

    @Option(names = "--sharded", description = "Hash files in shards, as the artifact was registered")
    boolean sharded;

    @Option(names = "--json", description = "Print the node's answer as JSON")
    boolean asJson;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (token == null || token.isBlank()) {
            err.println("error: an API token is needed (--token or DITCHLEY_TOKEN)");
            return 2;
        }
        FingerprintCommand.Result r;
        try {
            r = FingerprintCommand.fingerprint(path, FingerprintCommand.options(sharded, 1_000_000_000L, false), err);
        } catch (FingerprintException e) {
            err.println("malformed: " + e.getMessage());
            return 1;
        }
        JsonMapper json = JsonMapper.builder().build();
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/api/v1/identify")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(FingerprintCommand.body(r)))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            err.println("error: the node answered " + response.statusCode() + ": " + response.body());
            return 2;
        }
        JsonNode matches = json.readTree(response.body()).get("matches");
        if (asJson) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(matches));
        } else if (matches.isEmpty()) {
            out.println("no registered artifact matches " + path.getFileName() + " (manifest " + r.manifest().subjectDigest().hex() + ")");
        } else {
            for (JsonNode m : matches) {
                out.printf(Locale.ROOT, "%s of %s (artifact %s, model %s), confidence %.2f%n", m.get("kind").asString(),
                        m.get("modelName").asString(), m.get("artifactName").asString(), m.get("modelId").asString(),
                        m.get("confidence").asDouble());
                m.get("evidence").forEach(e -> out.println("  " + e.asString()));
            }
        }
        return 0;
    }
}
