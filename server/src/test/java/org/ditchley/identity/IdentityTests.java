package org.ditchley.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@NodeTest
class IdentityTests {

    @Autowired
    Node node;

    @Autowired
    JdbcClient db;

    @Test
    void theSetUpTokenWorksOnceAndNothingGuessableExists() {
        node.regulator();
        assertThat(Files.exists(node.dataDir().resolve("setup-token"))).isFalse();
        Node.Response again = node.anonymous().post("/api/v1/setup", Map.of("token", "setup_guess", "organisation", "X",
                "jurisdiction", "X", "name", "X", "email", "x@x.test", "password", "a long enough password"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("detail").asString()).contains("token");
        assertThat(db.sql("select count(*) from account where roles @> array['REGULATOR']").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void tokensAreStoredHashedAndStopWorkingWhenRevoked() {
        Node.Caller dev = node.developer();
        Node.Response issued = dev.post("/api/v1/tokens", Map.of("name", "ci"));
        assertThat(issued.status()).isEqualTo(201);
        String secret = issued.json().get("secret").asString();
        String id = issued.json().get("id").asString();
        assertThat(secret).startsWith("dtk_");
        assertThat(db.sql("select count(*) from api_token where encode(token_hash, 'escape') like ?")
                .param("%" + secret + "%").query(Long.class).single()).isZero();
        Node.Caller machine = node.withToken(secret);
        assertThat(machine.get("/api/v1/me").json().get("organisationId").asString()).isEqualTo(dev.organisationId.toString());
        assertThat(node.developer().delete("/api/v1/tokens/" + id).status()).isEqualTo(403);
        assertThat(dev.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        Node.Response refused = machine.get("/api/v1/me");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        assertThat(dev.get("/api/v1/tokens").json().get(0).has("secret")).isFalse();
    }

    @Test
    void invitationsAreSpentOnAcceptanceAndRolesMustSuitTheOrganisation() {
        String org = node.organisation("AUDITOR").toString();
        Node.Response wrongRole = node.regulator().post("/api/v1/organisations/" + org + "/invitations",
                Map.of("email", "a@auditor.test", "roles", List.of("REGULATOR")));
        assertThat(wrongRole.status()).isEqualTo(400);
        assertThat(wrongRole.json().get("detail").asString()).contains("cannot hold REGULATOR");

        Node.Response invite = node.regulator().post("/api/v1/organisations/" + org + "/invitations",
                Map.of("email", "b@auditor.test", "roles", List.of("AUDITOR")));
        String token = invite.json().get("token").asString();
        assertThat(invite.json().get("acceptUrl").asString()).contains("/invite?token=");
        Map<String, String> accept = Map.of("token", token, "name", "Bea", "password", "long password here");
        Node.Response short_ = node.anonymous().post("/api/v1/invitations/accept", Map.of("token", token, "name", "Bea", "password", "short"));
        assertThat(short_.status()).isEqualTo(400);
        assertThat(short_.json().get("detail").asString()).contains("password");
        assertThat(node.anonymous().post("/api/v1/invitations/accept", accept).status()).isEqualTo(201);
        assertThat(node.anonymous().post("/api/v1/invitations/accept", accept).status()).isEqualTo(400);
    }

    @Test
    void organisationNamesAreUnique() {
        Map<String, String> body = Map.of("name", "Unique Labs", "kind", "DEVELOPER", "jurisdiction", "US");
        assertThat(node.regulator().post("/api/v1/organisations", body).status()).isEqualTo(201);
        Node.Response dup = node.regulator().post("/api/v1/organisations", Map.of("name", "unique labs", "kind", "DEVELOPER", "jurisdiction", "US"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().get("detail").asString()).contains("unique labs");
    }
}
