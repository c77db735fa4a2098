package org.ditchley.termination.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.agent.License;
import org.ditchley.agent.LicenseRequest;
import org.ditchley.agent.ProtocolException;
import org.ditchley.agent.Signed;
import org.ditchley.registry.Deployments;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues operating licenses. A license goes only to a deployment that is registered and ACTIVE,
 * whose agent is enrolled and signed the request, whose request nonce is new, which serves an
 * artifact with a manifest digest, and which no order in effect covers (by the deployment, its
 * artifact, or its model being the stopped model or a derivative of it). Its lifetime follows the
 * model's risk tier: {@code frontier-lifetime} for models crossing a frontier threshold, else
 * {@code lifetime}.
 */
@Service
class Licenses {

    private final JdbcClient db;
    private final AgentKeys keys;
    private final StopList stops;
    private final TerminationKey key;
    private final Duration frontierLifetime;
    private final Duration lifetime;

    Licenses(JdbcClient db, AgentKeys keys, StopList stops, TerminationKey key,
             @Value("${ditchley.termination.frontier-lifetime:PT5M}") Duration frontierLifetime,
             @Value("${ditchley.termination.lifetime:PT1H}") Duration lifetime) {
        this.db = db;
        this.keys = keys;
        this.stops = stops;
        this.key = key;
        this.frontierLifetime = frontierLifetime;
        this.lifetime = lifetime;
    }

    /** The signed license answering the signed request {@code note}. */
    @Transactional
    public byte[] issue(byte[] note) {
        LicenseRequest claimed;
        try {
            claimed = LicenseRequest.parse(AgentKeys.unverifiedText(note));
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
        Deployments.Copy copy = keys.enrolled(claimed.deployment());
        LicenseRequest request;
        try {
            request = LicenseRequest.parse(keys.open(note, copy));
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AgentKeys.fresh(request.time(), now);
        if (!copy.active()) {
            throw AgentRefusedException.noLicense("deployment " + copy.id() + " is " + copy.status() + ", not ACTIVE");
        }
        if (copy.manifestDigest() == null) {
            throw AgentRefusedException.noLicense("deployment " + copy.id() + " serves no artifact with a manifest digest");
        }
        Instant notAfter = now.plus(copy.frontier() ? frontierLifetime : lifetime);
        // one round trip: the stop-list version, the nonce (new, or nothing), the next sequence number
        var issued = db.sql("""
                with v as (select stop_version from termination_state where id = 1),
                     n as (insert into agent_nonce (deployment_id, nonce) values (?, ?) on conflict do nothing returning 1),
                     l as (insert into agent_license (deployment_id, sequence, nonce, issued_at, not_after, stop_version)
                           select ?, 1, ?, ?, ?, v.stop_version from v where exists (select 1 from n)
                           on conflict (deployment_id) do update set sequence = agent_license.sequence + 1, nonce = excluded.nonce,
                               issued_at = excluded.issued_at, not_after = excluded.not_after, stop_version = excluded.stop_version
                           returning sequence)
                select (select stop_version from v), (select sequence from l)""")
                .params(copy.id(), request.nonce(), copy.id(), request.nonce(), java.sql.Timestamp.from(now), java.sql.Timestamp.from(notAfter))
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getObject(2) == null ? -1 : rs.getLong(2)}).single();
        long version = issued[0];
        long sequence = issued[1];
        if (sequence < 0) {
            throw new AgentRefusedException(HttpStatus.CONFLICT, "replayed-nonce", "nonce " + request.nonce() + " was already used");
        }
        Optional<UUID> order = stops.covering(copy, version);
        if (order.isPresent()) {
            // the transaction rolls back: no sequence number, nonce or expiry is recorded
            throw AgentRefusedException.noLicense("stop order " + order.get() + " covers deployment " + copy.id());
        }
        License license = new License(copy.id(), copy.manifestDigest(), sequence, request.nonce(), now, notAfter, version);
        return Signed.sign(license.text(), key.signer());
    }

    /** Forgets request nonces older than the freshness window: a request that old is refused by its time anyway. */
    void forgetOldNonces() {
        db.sql("delete from agent_nonce where seen_at < now() - make_interval(secs => ?)")
                .param(AgentKeys.WINDOW.multipliedBy(2).toSeconds()).update();
    }

    static String text(byte[] note) {
        return new String(note, StandardCharsets.UTF_8);
    }
}
