package org.ditchley.termination.internal;

import java.time.Instant;
import java.util.HexFormat;
import org.ditchley.agent.HaltReceipt;
import org.ditchley.agent.ProtocolException;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.Hashes;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.Deployments;
import org.ditchley.termination.DeploymentHalted;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes agents' signed halt receipts: a receipt must be signed by the deployment's enrolled key
 * and name an order that covers the deployment. The first receipt per order and copy is kept with
 * its time of arrival and goes on the ledger (as a commitment: deployments are confidential);
 * a repeated one is acknowledged and changes nothing.
 */
@Service
class HaltReceipts {

    private final JdbcClient db;
    private final AgentKeys keys;
    private final ApplicationEventPublisher events;

    HaltReceipts(JdbcClient db, AgentKeys keys, ApplicationEventPublisher events) {
        this.db = db;
        this.keys = keys;
        this.events = events;
    }

    /** Records the signed receipt {@code note}; returns whether it was the first for its order and copy. */
    @Transactional
    public boolean receive(byte[] note) {
        HaltReceipt claimed;
        try {
            claimed = HaltReceipt.parse(AgentKeys.unverifiedText(note));
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
        Deployments.Copy copy = keys.enrolled(claimed.deployment());
        HaltReceipt receipt;
        try {
            receipt = HaltReceipt.parse(keys.open(note, copy));
        } catch (ProtocolException e) {
            throw AgentKeys.malformed(e);
        }
        Instant now = Instant.now();
        if (receipt.halted().isAfter(now.plus(AgentKeys.WINDOW))) {
            throw new InvalidInputException("halted", "is " + receipt.halted() + ", in the future of the node's " + now);
        }
        String status = db.sql("select status from stop_order where id = ?").param(receipt.order()).query(String.class).optional()
                .orElseThrow(() -> new InvalidInputException("order", "stop order " + receipt.order() + " does not exist"));
        if (status.equals("DRAFT")) {
            throw new ConflictException("illegal-transition", "stop order " + receipt.order() + " is DRAFT; nothing halts for it yet");
        }
        Boolean covered = db.sql("select exists (select 1 from stop_order_copy where order_id = ? and deployment_id = ?)")
                .params(receipt.order(), copy.id()).query(Boolean.class).single();
        if (!covered) {
            throw new InvalidInputException("order", "stop order " + receipt.order() + " does not cover deployment " + copy.id());
        }
        int first = db.sql("""
                update stop_order_copy set halted_at = ?, how = ?, receipt = ?, received_at = now()
                 where order_id = ? and deployment_id = ? and received_at is null""")
                .params(java.sql.Timestamp.from(receipt.halted()), receipt.how().name(), note, receipt.order(), copy.id()).update();
        if (first == 1) {
            events.publishEvent(new DeploymentHalted(copy.id(), copy.organisationId(), receipt.order(), receipt.how().name(),
                    receipt.halted(), HexFormat.of().formatHex(Hashes.sha256(note)), now));
        }
        return first == 1;
    }
}
