package org.ditchley.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.ditchley.tlog.NoteSigner;
import org.junit.jupiter.api.Test;

/**
 * The agent protocol's notes: each message round-trips through its canonical text, parsing is
 * strict, every truncation and byte flip of a signed license is refused, and an agent accepts a
 * license only for its deployment, its nonce, a higher sequence number and a time within the
 * tolerated skew.
 */
class ProtocolTests {

    static final UUID DEPLOYMENT = UUID.fromString("5f0c6a52-95a3-4b8e-9d0c-2a1f3e4b5c6d");
    static final String DIGEST = "9a157cea".repeat(8);
    static final String NONCE = "0123456789abcdef0123456789abcdef";
    static final Instant T = Instant.parse("2026-11-28T12:00:00Z");
    static final NoteSigner REGULATOR = NoteSigner.generate("regulator.example/termination");

    static License license(long sequence, String nonce, Instant issued, Instant notAfter) {
        return new License(DEPLOYMENT, DIGEST, sequence, nonce, issued, notAfter, 3);
    }

    @Test
    void everyMessageRoundTripsThroughItsCanonicalText() throws Exception {
        License l = license(7, NONCE, T, T.plusSeconds(300));
        assertThat(License.parse(l.text())).isEqualTo(l);
        assertThat(l.text()).isEqualTo("ditchley license v1\ndeployment " + DEPLOYMENT + "\nartifact " + DIGEST + "\nsequence 7\nnonce "
                + NONCE + "\nissued 2026-11-28T12:00:00Z\nnot-after 2026-11-28T12:05:00Z\nstop-version 3\n");
        LicenseRequest r = new LicenseRequest(DEPLOYMENT, NONCE, T.plusMillis(250));
        assertThat(LicenseRequest.parse(r.text())).isEqualTo(r);
        assertThat(r.text()).contains("time 2026-11-28T12:00:00.250Z\n");
        StopOrder o = new StopOrder(UUID.randomUUID(), 4, T, 60, "RED_LINE: replication", List.of(DIGEST), List.of(DEPLOYMENT));
        StopOrder parsed = StopOrder.parse(o.text());
        assertThat(o.text()).startsWith("ditchley stop order v1\norder " + o.order() + "\nstop-version 4\nissued 2026-11-28T12:00:00Z\n");
        assertThat(parsed).isEqualTo(o);
        assertThat(parsed.covers(DEPLOYMENT, null)).isTrue();
        assertThat(parsed.covers(UUID.randomUUID(), DIGEST)).isTrue();
        assertThat(parsed.covers(UUID.randomUUID(), "ab".repeat(32))).isFalse();
        StopLifted lifted = new StopLifted(o.order(), T);
        assertThat(StopLifted.parse(lifted.text())).isEqualTo(lifted);
        StreamAuth auth = new StreamAuth(DEPLOYMENT, T);
        assertThat(StreamAuth.parse(auth.text())).isEqualTo(auth);
        HaltReceipt h = new HaltReceipt(DEPLOYMENT, o.order(), T.plusMillis(1), HaltReceipt.How.KILLED);
        assertThat(HaltReceipt.parse(h.text())).isEqualTo(h);
    }

    @Test
    void parsingIsStrict() {
        String ok = license(7, NONCE, T, T.plusSeconds(300)).text();
        List<String> bad = List.of(
                ok.replace("ditchley license v1", "ditchley license v2"),
                ok.replace(DEPLOYMENT.toString(), DEPLOYMENT.toString().toUpperCase()),
                ok.replace("sequence 7", "sequence 07"),
                ok.replace("sequence 7", "sequence 0"),
                ok.replace("sequence 7", "sequence 99999999999999999999"),
                ok.replace("issued 2026-11-28T12:00:00Z", "issued 2026-11-28T12:00:00.000Z"),
                ok.replace("issued 2026-11-28T12:00:00Z", "issued 2026-11-28 12:00:00"),
                ok.replace("not-after 2026-11-28T12:05:00Z", "not-after 2026-11-28T12:00:00Z"),
                ok.replace("nonce " + NONCE, "nonce ab"),
                ok.replace("artifact " + DIGEST, "artifact " + DIGEST.toUpperCase()),
                ok.replace("stop-version 3\n", "stop-version 3\nextra 1\n"),
                ok.replace("stop-version 3\n", ""),
                ok.replace("\nnonce", "\n nonce"),
                ok.substring(0, ok.length() - 1),
                "");
        for (String text : bad) {
            assertThatThrownBy(() -> License.parse(text)).as(text).isInstanceOf(ProtocolException.class);
        }
        assertThatThrownBy(() -> HaltReceipt.parse(new HaltReceipt(DEPLOYMENT, DEPLOYMENT, T, HaltReceipt.How.KILLED).text()
                .replace("how KILLED", "how PAUSED"))).isInstanceOf(ProtocolException.class).hasMessageContaining("PAUSED");
        assertThatThrownBy(() -> StopOrder.parse(new StopOrder(DEPLOYMENT, 1, T, 1, "x", List.of(), List.of()).text()
                .replace("grace 1", "grace 86401"))).isInstanceOf(ProtocolException.class).hasMessageContaining("86400");
        assertThatThrownBy(() -> StopOrder.parse(new StopOrder(DEPLOYMENT, 1, T, 1, "x", List.of(), List.of()).text()
                .replace("stop-version 1\n", ""))).isInstanceOf(ProtocolException.class).hasMessageContaining("stop-version");
    }

    @Test
    void everyTruncationAndByteFlipOfASignedLicenseIsRefused() throws Exception {
        byte[] note = Signed.sign(license(7, NONCE, T, T.plusSeconds(300)).text(), REGULATOR);
        assertThat(License.parse(Signed.open(note, REGULATOR.verifier())).sequence()).isEqualTo(7);
        for (int n = 0; n < note.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(note, n);
            assertThatThrownBy(() -> License.parse(Signed.open(cut, REGULATOR.verifier()))).as("truncated to %d", n)
                    .isInstanceOf(ProtocolException.class);
        }
        for (int i = 0; i < note.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = note.clone();
                flipped[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> License.parse(Signed.open(flipped, REGULATOR.verifier()))).as("byte %d bit %d", i, bit)
                        .isInstanceOf(ProtocolException.class);
            }
        }
        NoteSigner sameName = NoteSigner.generate(REGULATOR.name());
        assertThatThrownBy(() -> Signed.open(Signed.sign(license(7, NONCE, T, T.plusSeconds(300)).text(), sameName), REGULATOR.verifier()))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void anAgentAcceptsOnlyItsOwnFreshLicenseWithAHigherSequenceWithinTheSkew() throws Exception {
        Clock clock = Clock.fixed(T.plusSeconds(10), ZoneOffset.UTC);
        Agent agent = new Agent(Agent.Config.of(URI.create("http://127.0.0.1:9"), DEPLOYMENT, NoteSigner.generate("agent.example/a"),
                REGULATOR.verifier(), List.of("true")).withStatusPort(-1), clock, line -> { });
        byte[] good = Signed.sign(license(5, NONCE, T, T.plusSeconds(300)).text(), REGULATOR);
        assertThat(agent.accept(good, NONCE).sequence()).isEqualTo(5);
        assertThatThrownBy(() -> agent.accept(good, NONCE)).hasMessageContaining("not above the last");
        assertThatThrownBy(() -> agent.accept(Signed.sign(license(6, NONCE, T, T.plusSeconds(300)).text(), REGULATOR), "ff".repeat(16)))
                .hasMessageContaining("replay");
        assertThatThrownBy(() -> agent.accept(Signed.sign(new License(UUID.randomUUID(), DIGEST, 6, NONCE, T, T.plusSeconds(300), 3).text(),
                REGULATOR), NONCE)).hasMessageContaining("is for deployment");
        assertThatThrownBy(() -> agent.accept(Signed.sign(new License(DEPLOYMENT, "ab".repeat(32), 6, NONCE, T, T.plusSeconds(300), 3).text(),
                REGULATOR), NONCE)).hasMessageContaining("not the served");
        // 30 s of skew either way is tolerated, not more
        assertThatThrownBy(() -> agent.accept(Signed.sign(license(6, NONCE, T.minusSeconds(400), T.minusSeconds(25)).text(), REGULATOR), NONCE))
                .hasMessageContaining("expired");
        assertThat(agent.accept(Signed.sign(license(6, NONCE, T.minusSeconds(300), T.minusSeconds(15)).text(), REGULATOR), NONCE).sequence())
                .isEqualTo(6);
        assertThatThrownBy(() -> agent.accept(Signed.sign(license(7, NONCE, T.plusSeconds(45), T.plusSeconds(300)).text(), REGULATOR), NONCE))
                .hasMessageContaining("in the future");
        assertThat(agent.accept(Signed.sign(license(7, NONCE, T.plusSeconds(35), T.plusSeconds(300)).text(), REGULATOR), NONCE).sequence())
                .isEqualTo(7);
        assertThat(Duration.between(T, agent.license().notAfter())).hasSeconds(300);
        assertThat(new String(Signed.sign("x\n", REGULATOR), StandardCharsets.UTF_8)).startsWith("x\n\n— regulator.example/termination ");
    }

    static Agent agentAt(Instant now) {
        return new Agent(Agent.Config.of(URI.create("http://127.0.0.1:9"), DEPLOYMENT, NoteSigner.generate("agent.example/a"),
                REGULATOR.verifier(), List.of("true")).withStatusPort(-1).withMaxBackoff(Duration.ofMillis(50)),
                Clock.fixed(now, ZoneOffset.UTC), line -> { });
    }

    static byte[] order(UUID id, long stopVersion, List<String> artifacts, List<UUID> deployments) {
        return Signed.sign(new StopOrder(id, stopVersion, T, 0, "RED_LINE: test", artifacts, deployments).text(), REGULATOR);
    }

    static byte[] licenseAt(long sequence, long stopVersion) {
        return Signed.sign(new License(DEPLOYMENT, DIGEST, sequence, NONCE, T, T.plusSeconds(300), stopVersion).text(), REGULATOR);
    }

    @Test
    void aLicenseIssuedAgainstTheOrdersStopListOrALaterOneShowsTheOrderNoLongerStands() throws Exception {
        try (Agent agent = agentAt(T.plusSeconds(10))) {
            agent.accept(licenseAt(1, 3), NONCE);
            UUID stale = UUID.randomUUID();
            agent.order(order(stale, 3, List.of(DIGEST), List.of()));
            assertThat(agent.standingOrders()).as("an order the held license was checked against").isEmpty();
            UUID fresh = UUID.randomUUID();
            agent.order(order(fresh, 5, List.of(DIGEST), List.of()));
            assertThat(agent.standingOrders()).containsExactly(fresh);
            assertThat(agent.state()).isEqualTo(Agent.State.HALTED_BY_ORDER);
            agent.accept(licenseAt(2, 4), NONCE);
            assertThat(agent.standingOrders()).as("a license decided before the order took effect").containsExactly(fresh);
            assertThat(agent.state()).isEqualTo(Agent.State.HALTED_BY_ORDER);
            agent.accept(licenseAt(3, 6), NONCE);
            assertThat(agent.standingOrders()).as("a license decided after the order was lifted").isEmpty();
            assertThat(agent.state()).isEqualTo(Agent.State.WAITING_FOR_LICENSE);
        }
    }

    @Test
    void anOrderNamingArtifactsOnlyIsKeptUntilALicenseSaysWhichArtifactIsServed() throws Exception {
        try (Agent agent = agentAt(T.plusSeconds(10))) {
            UUID covering = UUID.randomUUID();
            UUID other = UUID.randomUUID();
            UUID lifted = UUID.randomUUID();
            agent.order(order(covering, 7, List.of(DIGEST), List.of()));
            agent.order(order(other, 7, List.of("ab".repeat(32)), List.of()));
            agent.order(order(lifted, 2, List.of(DIGEST), List.of()));
            assertThat(agent.standingOrders()).isEmpty();
            agent.accept(licenseAt(1, 6), NONCE);
            assertThat(agent.standingOrders()).containsExactly(covering);
            assertThat(agent.state()).isEqualTo(Agent.State.HALTED_BY_ORDER);
            assertThatThrownBy(() -> agent.order(order(UUID.randomUUID(), 9, List.of("ab".repeat(32)), List.of())))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("does not cover");
        }
    }
}
