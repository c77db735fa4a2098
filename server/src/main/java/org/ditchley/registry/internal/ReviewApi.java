package org.ditchley.registry.internal;

import java.util.UUID;
import org.ditchley.identity.Actors;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The regulators' queue of new registrations. */
@RestController
@RequestMapping("/api/v1/review-queue")
class ReviewApi {

    private final ReviewQueue queue;

    ReviewApi(ReviewQueue queue) {
        this.queue = queue;
    }

    @GetMapping
    @PreAuthorize("hasRole('REGULATOR')")
    ReviewQueue.Queue pending() {
        return queue.pending(200);
    }

    @PostMapping("/{kind}/{id}")
    @PreAuthorize("hasRole('REGULATOR')")
    ResponseEntity<Void> reviewed(@PathVariable ReviewQueue.Kind kind, @PathVariable UUID id) {
        queue.markReviewed(Actors.require(), kind, id);
        return ResponseEntity.noContent().build();
    }
}
