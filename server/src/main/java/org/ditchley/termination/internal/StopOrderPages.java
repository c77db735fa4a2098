package org.ditchley.termination.internal;

import jakarta.annotation.security.PermitAll;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Actors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The stop-order pages. Anyone sees every order, its scope, status and coverage counts; a
 * signed-in regulator also sees its reason and each copy. The board refreshes itself from
 * {@code /stop-orders/{id}/board} (the same view, for the same viewer) every two seconds.
 */
@Controller
class StopOrderPages {

    private final StopOrders orders;
    private final Coverage coverage;

    StopOrderPages(StopOrders orders, Coverage coverage) {
        this.orders = orders;
        this.coverage = coverage;
    }

    private static boolean regulator() {
        return Actors.current().map(Actor::isRegulator).orElse(false);
    }

    /** Anyone. */
    @GetMapping("/stop-orders")
    @PermitAll
    String list(Model model) {
        boolean regulator = regulator();
        model.addAttribute("orders", orders.list(200).stream().map(o -> StopOrderApi.View.of(o, regulator)).toList());
        return "termination/orders";
    }

    /** Anyone; copies and the reason for regulators only. */
    @GetMapping("/stop-orders/{id}")
    @PermitAll
    String show(@PathVariable UUID id, Model model) {
        boolean regulator = regulator();
        StopOrders.Order order = orders.get(id);
        model.addAttribute("order", StopOrderApi.View.of(order, regulator));
        model.addAttribute("board", coverage.of(order, regulator));
        model.addAttribute("regulator", regulator);
        return "termination/order";
    }

    /** Anyone: the board as JSON, for the page to refresh itself with. */
    @GetMapping("/stop-orders/{id}/board")
    @PermitAll
    @ResponseBody
    Coverage.Board board(@PathVariable UUID id) {
        return coverage.of(orders.get(id), regulator());
    }
}
