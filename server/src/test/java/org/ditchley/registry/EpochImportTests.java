package org.ditchley.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Importing Epoch AI's notable-models file ({@code shared/testdata/epoch}). */
@NodeTest
class EpochImportTests {

    static final Path EPOCH = Node.testdata().resolve("epoch/notable_ai_models.csv");

    @Autowired
    Node node;

    static JsonNode report;

    @BeforeEach
    void importOnce() throws IOException {
        if (report == null) {
            report = importFile(Files.readAllBytes(EPOCH)).json();
        }
    }

    Node.Response importFile(byte[] csv) {
        return importFile(HttpRequest.BodyPublishers.ofByteArray(csv));
    }

    Node.Response importFile(HttpRequest.BodyPublisher body) {
        return node.regulator().send("POST", "/api/v1/imports/epoch", "text/csv", body);
    }

    @Test
    void everyRowIsAccountedFor() {
        assertThat(report.get("rows").asInt()).isEqualTo(981);
        int created = report.get("created").asInt() + report.get("unchanged").asInt() + report.get("updated").asInt();
        assertThat(created + report.get("skipped").asInt()).isEqualTo(981);
        assertThat(created).isEqualTo(981);
    }

    @Test
    void twentyModelsCrossTheEuRuleAndThreeTheUsRuleByReportedCompute() {
        assertThat(reportedCrossing("EU_AI_ACT_SYSTEMIC")).isEqualTo(20);
        assertThat(reportedCrossing("US_CA_FRONTIER")).isEqualTo(3);
        List<String> us = new ArrayList<>();
        node.anonymous().get("/api/v1/models?threshold=US_CA_FRONTIER&size=200").json().get("items")
                .forEach(m -> {
                    if (m.get("source").asString().equals("epoch")) {
                        us.add(m.get("name").asString());
                    }
                });
        assertThat(us).containsExactlyInAnyOrder("Grok 4", "GPT-4.5", "Grok 3");
    }

    @Test
    void aModelWithoutAReportedFigureShowsTheEstimateItWasClassifiedBy() {
        JsonNode page = node.anonymous().get("/api/v1/models?q=Solar%20Open%20100B").json();
        JsonNode solar = page.get("items").get(0);
        JsonNode used = solar.get("compute").get("used");
        assertThat(solar.get("compute").has("reported")).isFalse();
        assertThat(used.get("basis").asString()).isEqualTo("PARAMETERS");
        assertThat(used.get("estimate").asBoolean()).isTrue();
        JsonNode eu = solar.get("thresholds").get(0);
        assertThat(eu.get("rule").asString()).isEqualTo("EU_AI_ACT_SYSTEMIC");
        assertThat(eu.get("crossed").asBoolean()).isTrue();
        assertThat(eu.get("estimate").asBoolean()).isTrue();
        assertThat(eu.get("why").asString()).startsWith("estimated");
    }

    @Test
    void rowsWhoseBaseModelsAreInTheFileComeWithThatLineage() throws IOException {
        Map<String, List<String>> expected = expectedLineage();
        assertThat(expected).hasSize(81);
        Map<String, String> idsByName = new HashMap<>();
        Map<String, String> namesById = new HashMap<>();
        for (int page = 0; ; page++) {
            JsonNode p = node.anonymous().get("/api/v1/models?size=200&page=" + page).json();
            p.get("items").forEach(m -> {
                idsByName.put(m.get("name").asString(), m.get("id").asString());
                namesById.put(m.get("id").asString(), m.get("name").asString());
            });
            if ((page + 1) * 200L >= p.get("total").asLong()) {
                break;
            }
        }
        for (var e : expected.entrySet()) {
            JsonNode model = node.anonymous().get("/api/v1/models/" + idsByName.get(e.getKey())).json();
            Set<String> parents = new HashSet<>();
            model.get("parents").forEach(p -> parents.add(namesById.get(p.get("id").asString())));
            assertThat(parents).as(e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
        }
    }

    @Test
    void importingAgainChangesNothing() throws IOException {
        JsonNode again = importFile(Files.readAllBytes(EPOCH)).json();
        assertThat(again.get("created").asInt()).isZero();
        assertThat(again.get("updated").asInt()).isZero();
        assertThat(again.get("unchanged").asInt()).isEqualTo(981);
        assertThat(again.get("fileSha256").asString()).isEqualTo(report.get("fileSha256").asString());
        assertThat(reportedCrossing("EU_AI_ACT_SYSTEMIC")).isEqualTo(20);
    }

    @Test
    void aBrokenQuoteIsRefusedNamingWhereAndChangesNothing() {
        long before = node.anonymous().get("/api/v1/models?size=1").json().get("total").asLong();
        String csv = "Model,Organization,Training compute (FLOP)\nGood,Org,1e20\n\"Broken,Org,1e21\nMore,Org,1e22\n";
        Node.Response r = importFile(csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("detail").asString()).contains("malformed CSV").contains("line");
        assertThat(node.anonymous().get("/api/v1/models?size=1").json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void aFileWithoutTheModelColumnIsRefused() {
        Node.Response r = importFile("Name,Org\nx,y\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).contains("'Model'");
    }

    @Test
    void badRowsAreSkippedWithTheirReasonAndTheRestImported() {
        String huge = "x".repeat(150_000);
        String csv = "Model,Organization,Parameters,Training compute (FLOP)\n"
                + "Row One Ok,Csv Org,1e9,not-a-number\n"
                + ",Csv Org,1e9,1e20\n"
                + "Row Three,Csv Org,\"" + huge + "\",1e20\n"
                + "Row One Ok,Csv Org,1e9,1e20\n";
        JsonNode r = importFile(csv.getBytes(StandardCharsets.UTF_8)).json();
        assertThat(r.get("created").asInt()).isEqualTo(1);
        assertThat(r.get("skipped").asInt()).isEqualTo(3);
        JsonNode results = r.get("results");
        assertThat(results.get(0).get("notes").get(0).asString()).contains("Training compute (FLOP)").contains("not a number");
        assertThat(results.get(1).get("notes").get(0).asString()).contains("no model name");
        assertThat(results.get(2).get("notes").get(0).asString()).contains("Parameters").contains("longer than");
        assertThat(results.get(3).get("notes").get(0).asString()).contains("duplicate of row 1");
    }

    @Test
    void aGigabyteLineIsRefusedBeforeItIsRead() {
        long gigabyte = 1L << 30;
        HttpRequest.BodyPublisher endless = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    long sent;

                    @Override
                    public int read() {
                        return sent++ < gigabyte ? 'x' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (sent >= gigabyte) {
                            return -1;
                        }
                        int n = (int) Math.min(len, gigabyte - sent);
                        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                        sent += n;
                        return n;
                    }
                }), gigabyte);
        Node.Response r;
        try {
            r = importFile(endless);
        } catch (java.io.UncheckedIOException e) {
            throw new AssertionError("the server must answer 413 rather than drop the connection", e);
        }
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("detail").asString()).contains("exceeds the limit");
    }

    /** Imported models crossing {@code rule} by their reported figure (other tests share this node). */
    long reportedCrossing(String rule) {
        JsonNode page = node.anonymous().get("/api/v1/models?size=200&threshold=" + rule).json();
        int n = 0;
        for (JsonNode m : page.get("items")) {
            if (!m.get("source").asString().equals("epoch")) {
                continue;
            }
            for (JsonNode t : m.get("thresholds")) {
                if (t.get("rule").asString().equals(rule) && t.get("crossed").asBoolean() && !t.get("estimate").asBoolean()) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Rows of the file whose every {@code Base model} names another row, with those names. */
    static Map<String, List<String>> expectedLineage() throws IOException {
        try (Reader reader = Files.newBufferedReader(EPOCH, StandardCharsets.UTF_8)) {
            List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(reader).getRecords();
            String modelColumn = records.get(0).getParser().getHeaderNames().get(0);
            Set<String> names = new HashSet<>();
            records.forEach(r -> names.add(r.get(modelColumn).strip()));
            Map<String, List<String>> lineage = new HashMap<>();
            for (CSVRecord r : records) {
                String base = r.get("Base model").strip();
                if (base.isEmpty()) {
                    continue;
                }
                List<String> parents = java.util.Arrays.stream(base.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
                if (names.containsAll(parents)) {
                    lineage.put(r.get(modelColumn).strip(), parents);
                }
            }
            return lineage;
        }
    }
}
