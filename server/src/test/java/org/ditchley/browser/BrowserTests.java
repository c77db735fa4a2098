package org.ditchley.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The portal in a real browser (headless Chromium): set-up of the first regulator, sign-in,
 * the import of Epoch AI's dataset, registering a model as an invited developer and the
 * lineage graph. The tests run in order and share the node's state.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTests {

    static final String REGULATOR_EMAIL = "officer@aisi.example";
    static final String REGULATOR_NAME = "Ada Officer";
    static final String REGULATOR_PASSWORD = "correct horse battery";
    static final String DEVELOPER_EMAIL = "dev@frontier.example";
    static final String DEVELOPER_PASSWORD = "another long secret";

    static Path dataDir;
    static Path profileDir;
    static WebDriver driver;
    static WebDriverWait wait;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        dataDir = Files.createTempDirectory("ditchley-browser-");
        registry.add("ditchley.db.data-dir", () -> dataDir.toString());
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        profileDir = Files.createTempDirectory("ditchley-chromium-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profileDir);
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profileDir != null) {
            try (Stream<Path> files = Files.walk(profileDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void regulatorSetsUpTheNodeAndSignsIn() throws IOException {
        String token = Files.readString(dataDir.resolve("setup-token")).strip();
        open("/setup?token=" + token);
        type("organisation", "AI Security Institute");
        type("jurisdiction", "GB");
        type("name", REGULATOR_NAME);
        type("email", REGULATOR_EMAIL);
        type("password", REGULATOR_PASSWORD);
        submit("complete-setup");
        wait.until(ExpectedConditions.urlContains("/login"));

        signIn(REGULATOR_EMAIL, "not the password");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText())
                .contains("wrong");
        assertThat(driver.findElements(By.id("signed-in-as"))).isEmpty();

        signIn(REGULATOR_EMAIL, REGULATOR_PASSWORD);
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signed-in-as"))).getText())
                .isEqualTo(REGULATOR_NAME);
        assertThat(driver.findElement(By.linkText("Queue")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.linkText("Import")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.linkText("Organisations")).isDisplayed()).isTrue();
    }

    @Test
    @Order(2)
    void regulatorImportsEpochDatasetAndFiltersByTheEuRule() {
        open("/regulator/import");
        driver.findElement(By.id("file")).sendKeys(testdata().resolve("epoch/notable_ai_models.csv").toString());
        submit("start-import");
        WebElement rows = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("report-rows")));
        assertThat(rows.getText()).isEqualTo("981");
        int created = Integer.parseInt(driver.findElement(By.id("report-created")).getText());
        int skipped = Integer.parseInt(driver.findElement(By.id("report-skipped")).getText());
        assertThat(created).isPositive();
        if (skipped > 0) {
            assertThat(driver.findElements(By.cssSelector("#skipped-rows tbody tr"))).hasSize(skipped);
        }

        open("/models");
        new Select(driver.findElement(By.id("threshold"))).selectByValue("EU_AI_ACT_SYSTEMIC");
        submit("apply-filters");
        wait.until(ExpectedConditions.urlContains("threshold=EU_AI_ACT_SYSTEMIC"));
        assertThat(driver.findElement(By.id("total")).getText()).isEqualTo("21");
        List<WebElement> listed = driver.findElements(By.cssSelector("#models tr.model-row"));
        assertThat(listed).hasSize(21);
        long reported = listed.stream().filter(r -> r.findElements(By.cssSelector(".estimate")).isEmpty()).count();
        assertThat(reported).isEqualTo(20);
        assertThat(listed).allSatisfy(r -> assertThat(r.getText()).contains("EU_AI_ACT_SYSTEMIC"));
    }

    @Test
    @Order(3)
    void invitedDeveloperRegistersAModel() {
        open("/regulator/organisations");
        type("organisation-name", "Frontier Labs");
        new Select(driver.findElement(By.id("organisation-kind"))).selectByValue("DEVELOPER");
        type("organisation-jurisdiction", "US");
        submit("create-organisation");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message"))).getText())
                .contains("Frontier Labs");

        new Select(driver.findElement(By.id("invite-organisation"))).selectByVisibleText("Frontier Labs (DEVELOPER)");
        type("invite-email", DEVELOPER_EMAIL);
        driver.findElement(By.id("role-DEVELOPER")).click();
        submit("send-invitation");
        String link = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invitation-link")))
                .getAttribute("href");
        submit("sign-out");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));

        driver.get(link);
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("invited-email"))).getText())
                .isEqualTo(DEVELOPER_EMAIL);
        type("name", "Dana Developer");
        type("password", DEVELOPER_PASSWORD);
        submit("accept-invitation");
        wait.until(ExpectedConditions.urlContains("/login"));
        signIn(DEVELOPER_EMAIL, DEVELOPER_PASSWORD);
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signed-in-as"))).getText())
                .isEqualTo("Dana Developer");
        assertThat(driver.findElements(By.linkText("Import"))).isEmpty();

        open("/my/models/new");
        type("name", "Frontier One");
        type("parametersActive", "lots");
        type("parametersTotal", "405e9");
        type("trainingTokens", "15.6e12");
        submit("save-model");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error"))).getText())
                .contains("parametersActive");

        type("parametersActive", "405e9");
        submit("save-model");
        wait.until(ExpectedConditions.urlMatches(".*/models/[0-9a-f-]{36}$"));
        assertThat(driver.findElement(By.id("model-name")).getText()).isEqualTo("Frontier One");
        assertThat(driver.findElement(By.id("compute-used")).getText()).isEqualTo("3.79e25 FLOP");
        assertThat(driver.findElement(By.id("compute-used-estimate")).isDisplayed()).isTrue();
        WebElement eu = driver.findElement(By.cssSelector("#thresholds tr[data-rule='EU_AI_ACT_SYSTEMIC']"));
        assertThat(eu.getText()).contains("yes").contains("estimated");

        String modelUrl = driver.getCurrentUrl();
        driver.findElement(By.id("edit-model")).click();
        type("version", "2026-01");
        submit("save-model");
        wait.until(ExpectedConditions.urlToBe(modelUrl));
        assertThat(driver.findElement(By.id("model-name")).getText()).isEqualTo("Frontier One 2026-01");

        driver.findElement(By.linkText("Register a training run")).click();
        type("plannedCompute", "3e25");
        setValue("plannedStart", LocalDate.now().plusYears(1).toString());
        setValue("plannedEnd", LocalDate.now().plusYears(1).plusDays(90).toString());
        submit("register-training-run");
        wait.until(ExpectedConditions.urlToBe(modelUrl));
        assertThat(driver.findElement(By.id("flash")).getText()).contains("Training run registered");
        submit("sign-out");
    }

    @Test
    @Order(5)
    void regulatorReviewsTheQueueAndManagesTokens() {
        open("/regulator/queue");
        wait.until(ExpectedConditions.urlContains("/login"));
        signIn(REGULATOR_EMAIL, REGULATOR_PASSWORD);
        wait.until(ExpectedConditions.urlContains("/regulator/queue"));
        List<WebElement> models = driver.findElements(By.cssSelector("#queue-models tr.queue-item"));
        assertThat(models).singleElement().extracting(WebElement::getText).asString().contains("Frontier One 2026-01");
        assertThat(driver.findElements(By.cssSelector("#queue-runs tr.queue-item"))).hasSize(1);
        WebElement button = models.get(0).findElement(By.cssSelector("button.mark-reviewed"));
        button.click();
        awaitGone(button);
        assertThat(driver.findElements(By.cssSelector("#queue-models tr.queue-item"))).isEmpty();

        open("/account/tokens");
        type("token-name", "CI pipeline");
        submit("create-token");
        assertThat(driver.findElement(By.id("token-secret")).getText()).startsWith("dtk_");
        List<WebElement> tokens = driver.findElements(By.cssSelector("#tokens tr.token-row"));
        assertThat(tokens).singleElement().extracting(WebElement::getText).asString().contains("active");
        WebElement revoke = tokens.get(0).findElement(By.cssSelector("button.revoke-token"));
        revoke.click();
        awaitGone(revoke);
        assertThat(driver.findElement(By.cssSelector("#tokens tr.token-row")).getText()).contains("revoked");

        open("/models/00000000-0000-0000-0000-000000000000");
        assertThat(driver.findElement(By.id("error-message")).getText()).contains("does not exist");
        assertThat(driver.getTitle()).startsWith("404");
    }

    @Test
    @Order(6)
    void apiErrorsStayProblemDetails() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/models/00000000-0000-0000-0000-000000000000")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    @Order(4)
    void lineageGraphShowsRelativesAndLinksToThem() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        String id = null;
        JsonNode lineage = null;
        for (String q : List.of("GPT-4o", "RT-2", "PaLI-X")) {
            for (JsonNode item : json.readTree(get("/api/v1/models?size=50&q=" + q)).get("items")) {
                JsonNode candidate = json.readTree(get("/api/v1/models/" + item.get("id").asString() + "/lineage"));
                if (id == null && !candidate.get("ancestors").isEmpty() && !candidate.get("descendants").isEmpty()) {
                    id = item.get("id").asString();
                    lineage = candidate;
                }
            }
        }
        assertThat(id).as("a model with both ancestors and descendants").isNotNull();

        open("/models/" + id);
        WebElement graph = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lineage-graph")));
        assertThat(graph.isDisplayed()).isTrue();
        List<WebElement> nodes = graph.findElements(By.cssSelector(".lineage-node"));
        assertThat(nodes).hasSize(lineage.get("ancestors").size() + lineage.get("descendants").size() + 1);
        assertThat(graph.findElements(By.cssSelector(".lineage-node.current")))
                .singleElement().extracting(e -> e.getAttribute("data-model-id")).isEqualTo(id);

        String ancestorId = lineage.get("ancestors").get(0).get("id").asString();
        String ancestorName = lineage.get("ancestors").get(0).get("name").asString();
        WebElement ancestor = graph.findElement(By.cssSelector(".lineage-node[data-model-id='" + ancestorId + "']"));
        ancestor.click();
        wait.until(ExpectedConditions.urlContains("/models/" + ancestorId));
        assertThat(driver.findElement(By.id("model-name")).getText()).startsWith(ancestorName);
    }

    @Test
    @Order(7)
    void anyoneSeesTheLedgerAndChecksAReceipt() throws Exception {
        open("/ledger");
        assertThat(driver.findElement(By.id("origin")).getText()).startsWith("local.ditchley.invalid/");
        assertThat(Long.parseLong(driver.findElement(By.id("size")).getText())).isPositive();
        assertThat(driver.findElements(By.cssSelector("#entries tr.entry-row"))).isNotEmpty();

        JsonNode entry = JsonMapper.builder().build().readTree(get("/ledger/entries/0"));
        HttpResponse<byte[]> receipt = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/ledger/entries/0/receipt")).build(), HttpResponse.BodyHandlers.ofByteArray());
        java.nio.file.Path file = java.nio.file.Files.write(java.nio.file.Files.createTempFile("entry-0", ".tlog-proof"), receipt.body());

        setValue("entry", entry.get("entry").asString());
        driver.findElement(By.id("receipt")).sendKeys(file.toAbsolutePath().toString());
        submit("check");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("receipt-result"))).getText())
                .startsWith("Verified: entry 0");

        setValue("entry", entry.get("entry").asString().replace("\"type\"", "\"typo\""));
        driver.findElement(By.id("receipt")).sendKeys(file.toAbsolutePath().toString());
        submit("check");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("receipt-result"))).getText())
                .startsWith("Not verified");
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.ditchley.registry.internal.ArtifactService artifacts;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.simple.JdbcClient db;

    @Test
    @Order(8)
    void aDerivativeFoundInTheWeightsShowsOnTheModelPageAndInTheQueue() throws Exception {
        java.util.UUID regulator = db.sql("select id from account where email = ?").param(REGULATOR_EMAIL)
                .query(java.util.UUID.class).single();
        java.util.UUID regulatorOrg = db.sql("select organisation_id from account where id = ?").param(regulator)
                .query(java.util.UUID.class).single();
        org.ditchley.identity.Actor actor = new org.ditchley.identity.Actor(regulator, regulatorOrg,
                org.ditchley.identity.OrganisationKind.REGULATOR, java.util.Set.of(org.ditchley.identity.Role.REGULATOR), REGULATOR_NAME);
        java.util.UUID parent = db.sql("select id from model where name = 'GPT-4o' limit 1").query(java.util.UUID.class).single();
        java.util.UUID child = db.sql("select id from model where name = 'Frontier One'").query(java.util.UUID.class).single();
        Path files = Files.createTempDirectory(dataDir.getParent(), "weights-");
        org.ditchley.fingerprint.Transformers.Model weights = org.ditchley.fingerprint.Transformers.model(11);
        JsonMapper json = JsonMapper.builder().build();
        artifacts.register(actor, parent, "release", null, json.valueToTree(org.ditchley.fingerprint.FingerprintJson.write(
                org.ditchley.fingerprint.ModelFingerprint.of(List.of(org.ditchley.fingerprint.Transformers.safetensors(
                        files.resolve("parent.safetensors"), weights, false, java.util.Map.of()))))));
        artifacts.register(actor, child, "weights found", null, json.valueToTree(org.ditchley.fingerprint.FingerprintJson.write(
                org.ditchley.fingerprint.ModelFingerprint.of(List.of(org.ditchley.fingerprint.Transformers.safetensors(
                        files.resolve("child.safetensors"), org.ditchley.fingerprint.Transformers.fineTune(weights, 12, 0.1), false,
                        java.util.Map.of()))))));

        open("/models/" + child);
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#detected-lineage tr.undeclared")));
        assertThat(row.getText()).contains("GPT-4o").contains("DERIVATIVE").contains("no (an alert for regulators)");
        assertThat(driver.findElement(By.id("artifacts")).getText()).contains("weights found");

        open("/regulator/queue");
        List<WebElement> alerts = driver.findElements(By.cssSelector("#queue-detected tr.queue-item"));
        assertThat(alerts).singleElement().extracting(WebElement::getText).asString().contains("Frontier One").contains("GPT-4o");
        WebElement button = alerts.get(0).findElement(By.cssSelector("button.mark-reviewed"));
        button.click();
        awaitGone(button);
        assertThat(driver.findElements(By.cssSelector("#queue-detected tr.queue-item"))).isEmpty();
    }

    @Test
    @Order(9)
    void anyoneWatchesAStopOrdersCoverageBoardUpdateLive() throws Exception {
        // the regulator (an officer) takes an API token; a second officer and a deployer are invited
        open("/models");
        if (driver.findElements(By.id("sign-out")).isEmpty()) {
            signIn(REGULATOR_EMAIL, REGULATOR_PASSWORD);
        }
        open("/account/tokens");
        type("token-name", "termination");
        submit("create-token");
        String officer = driver.findElement(By.id("token-secret")).getText().strip();
        JsonMapper json = JsonMapper.builder().build();
        String regulatorOrg = json.readTree(api(officer, "GET", "/api/v1/me", null, 200)).get("organisationId").asString();
        String second = invitee(officer, regulatorOrg, List.of("REGULATOR", "OFFICER"));
        String developerOrg = json.readTree(api(officer, "POST", "/api/v1/organisations",
                java.util.Map.of("name", "Board developer", "kind", "DEVELOPER", "jurisdiction", "GB"), 201)).get("id").asString();
        String deployerOrg = json.readTree(api(officer, "POST", "/api/v1/organisations",
                java.util.Map.of("name", "Board deployer", "kind", "DEPLOYER", "jurisdiction", "GB"), 201)).get("id").asString();
        String deployer = invitee(officer, deployerOrg, List.of("DEPLOYER"));
        String model = json.readTree(api(officer, "POST", "/api/v1/models",
                java.util.Map.of("name", "Board model", "organisationId", developerOrg), 201)).get("id").asString();
        Path weights = Files.writeString(Files.createTempDirectory(dataDir.getParent(), "board-").resolve("w.bin"), "weights");
        String artifact = json.readTree(api(officer, "POST", "/api/v1/models/" + model + "/artifacts", java.util.Map.of("name", "release",
                "statement", org.ditchley.fingerprint.ModelHasher.hash(weights, org.ditchley.fingerprint.ModelHasher.Options.files(), n -> { })
                        .statement()), 201)).get("artifact").get("id").asString();
        String deployment = json.readTree(api(deployer, "POST", "/api/v1/deployments", java.util.Map.of("modelId", model,
                "locationKind", "FACILITY", "location", "DC 9", "endpoint", "https://board.example", "status", "ACTIVE"), 201)).get("id").asString();
        org.ditchley.tlog.NoteSigner agentKey = org.ditchley.tlog.NoteSigner.generate("agent.board.example/1");
        api(deployer, "PUT", "/api/v1/deployments/" + deployment + "/agent",
                java.util.Map.of("agentKey", agentKey.verifier().toString(), "artifactId", artifact), 200);
        byte[] request = org.ditchley.agent.Signed.sign(new org.ditchley.agent.LicenseRequest(java.util.UUID.fromString(deployment),
                "0123456789abcdef0123456789abcdef", java.time.Instant.now()).text(), agentKey);
        HttpResponse<String> licensed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/v1/agent/license")).header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(licensed.statusCode()).as(licensed.body()).isEqualTo(200);
        String order = json.readTree(api(officer, "POST", "/api/v1/stop-orders", java.util.Map.of("scope", "DEPLOYMENTS",
                "targets", List.of(deployment), "reasonKind", "INCIDENT", "reason", "serving after a breach", "graceSeconds", 30), 201))
                .get("id").asString();
        api(second, "POST", "/api/v1/stop-orders/" + order + "/approvals", java.util.Map.of(), 200);

        // the regulator's board lists the copy; it turns HALTED on the page, without a reload, when the receipt arrives
        open("/stop-orders");
        driver.findElement(By.cssSelector("#orders a[href$='" + order + "']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("order-status"), "IN_EFFECT"));
        assertThat(driver.findElement(By.id("order-reason")).getText()).contains("serving after a breach");
        assertThat(driver.findElement(By.cssSelector("tr.copy-row .state")).getText()).as("licensed, no stream open").isEqualTo("UNREACHABLE");
        byte[] receipt = org.ditchley.agent.Signed.sign(new org.ditchley.agent.HaltReceipt(java.util.UUID.fromString(deployment),
                java.util.UUID.fromString(order), java.time.Instant.now(), org.ditchley.agent.HaltReceipt.How.TERMINATED).text(), agentKey);
        HttpResponse<String> sent = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/agent/halt"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(receipt)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        wait.until(ExpectedConditions.textToBe(By.id("count-HALTED"), "1"));
        assertThat(driver.findElement(By.cssSelector("tr.copy-row .state")).getText()).isEqualTo("HALTED");
        assertThat(driver.findElement(By.cssSelector("tr.copy-row .how")).getText()).isEqualTo("TERMINATED");

        // the public sees the order and its counts, not the reason or the copies
        submit("sign-out");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        open("/stop-orders/" + order);
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("count-HALTED"))).getText()).isEqualTo("1");
        assertThat(driver.findElement(By.id("order-reason")).getText()).isEqualTo("INCIDENT");
        assertThat(driver.findElements(By.id("copies"))).isEmpty();
    }

    private String invitee(String token, String organisation, List<String> roles) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        String invitation = json.readTree(api(token, "POST", "/api/v1/organisations/" + organisation + "/invitations",
                java.util.Map.of("email", java.util.UUID.randomUUID() + "@board.example", "roles", roles), 201)).get("token").asString();
        return json.readTree(api(null, "POST", "/api/v1/invitations/accept",
                java.util.Map.of("token", invitation, "name", "Invitee", "password", "a long enough password"), 201)).get("apiToken").asString();
    }

    private String api(String token, String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JsonMapper.builder().build().writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return r.body();
    }

    private void open(String path) {
        driver.get("http://localhost:" + port + path);
        wait.until(d -> "complete".equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.readyState")));
    }

    private void setValue(String id, String value) {
        WebElement field = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1]", field, value);
    }

    private void signIn(String email, String password) {
        open("/login");
        type("username", email);
        type("password", password);
        submit("sign-in-button");
    }

    private void type(String id, String text) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
        field.clear();
        field.sendKeys(text);
    }

    private void submit(String id) {
        WebElement button = wait.until(ExpectedConditions.elementToBeClickable(By.id(id)));
        button.click();
        new WebDriverWait(driver, Duration.ofSeconds(300)).until(d -> {
            try {
                button.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    private static Path testdata() {
        String configured = System.getProperty("ditchley.testdata");
        Path path = configured != null ? Path.of(configured) : Path.of("../../shared/testdata");
        return path.toAbsolutePath().normalize();
    }

    /**
     * Waits until {@code element} has left the page. Chromium's driver sometimes reports a removed
     * node as an inspector error rather than a stale element; both mean it is gone.
     */
    static void awaitGone(WebElement element) {
        wait.until(d -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                return e.getMessage() != null && e.getMessage().contains("does not belong to the document");
            }
        });
    }
}
