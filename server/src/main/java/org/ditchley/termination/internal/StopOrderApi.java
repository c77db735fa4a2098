package org.ditchley.termination.internal;

import jakarta.annotation.security.PermitAll;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Actors;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stop orders. Officers draft, approve and lift them; everyone sees that an order exists, its
 * scope, its status and its coverage counts; regulators also see its reason, the deployments it
 * names and each copy on the coverage board.
 */
@RestController
@RequestMapping("/api/v1")
class StopOrderApi {

    /** An order as shown: reason, deployment targets and the signed note only to regulators. */
    record View(UUID id, StopOrders.Scope scope, UUID modelId, boolean withDerivatives, List<UUID> artifactTargets,
                List<UUID> deploymentTargets, int deploymentTargetCount, StopOrders.ReasonKind reasonKind, String reason,
                long graceSeconds, StopOrders.Status status, int approvals, int quorum, int liftApprovals, int liftQuorum,
                Instant draftedAt, Instant effectiveAt, Instant liftedAt, String note) {

        static View of(StopOrders.Order o, boolean regulator) {
            boolean deploymentsScope = o.scope() == StopOrders.Scope.DEPLOYMENTS;
            return new View(o.id(), o.scope(), o.modelId(), o.withDerivatives(),
                    o.scope() == StopOrders.Scope.ARTIFACTS ? o.targets() : List.of(),
                    deploymentsScope && regulator ? o.targets() : List.of(), deploymentsScope ? o.targets().size() : 0,
                    o.reasonKind(), regulator ? o.reason() : null, o.graceSeconds(), o.status(), o.approvals(), o.quorum(),
                    o.liftApprovals(), o.liftQuorum(), o.draftedAt(), o.effectiveAt(), o.liftedAt(), regulator ? o.note() : null);
        }
    }

    record Lift(String reason) {
    }

    private final StopOrders orders;
    private final Coverage coverage;
    private final TerminationKey key;

    StopOrderApi(StopOrders orders, Coverage coverage, TerminationKey key) {
        this.orders = orders;
        this.coverage = coverage;
        this.key = key;
    }

    private static boolean regulator() {
        return Actors.current().map(Actor::isRegulator).orElse(false);
    }

    @PostMapping("/stop-orders")
    @PreAuthorize("hasRole('OFFICER')")
    ResponseEntity<View> draft(@RequestBody StopOrders.Draft body) {
        StopOrders.Order o = orders.draft(Actors.require(), body);
        return ResponseEntity.created(URI.create("/api/v1/stop-orders/" + o.id())).body(View.of(o, true));
    }

    @PostMapping("/stop-orders/{id}/approvals")
    @PreAuthorize("hasRole('OFFICER')")
    View approve(@PathVariable UUID id) {
        return View.of(orders.approve(Actors.require(), id), true);
    }

    @PostMapping("/stop-orders/{id}/lift")
    @PreAuthorize("hasRole('OFFICER')")
    View lift(@PathVariable UUID id, @RequestBody(required = false) Lift body) {
        return View.of(orders.lift(Actors.require(), id, body == null ? null : body.reason()), true);
    }

    @GetMapping("/stop-orders")
    @PermitAll
    List<View> list(@RequestParam(defaultValue = "100") int limit) {
        boolean regulator = regulator();
        return orders.list(Math.max(1, Math.min(limit, 500))).stream().map(o -> View.of(o, regulator)).toList();
    }

    @GetMapping("/stop-orders/{id}")
    @PermitAll
    View get(@PathVariable UUID id) {
        return View.of(orders.get(id), regulator());
    }

    @GetMapping("/stop-orders/{id}/coverage")
    @PermitAll
    Coverage.Board coverage(@PathVariable UUID id) {
        return coverage.of(orders.get(id), regulator());
    }

    /** The verifier key licenses and orders are signed with, for agents to pin at install. */
    @GetMapping(path = "/termination/vkey", produces = MediaType.TEXT_PLAIN_VALUE)
    @PermitAll
    String vkey() {
        return key.vkey() + "\n";
    }
}
