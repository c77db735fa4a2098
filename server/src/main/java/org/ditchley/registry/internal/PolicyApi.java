package org.ditchley.registry.internal;

import jakarta.annotation.security.PermitAll;
import java.util.List;
import org.ditchley.identity.Actors;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The threshold policy and the chip catalog: public to read; regulators publish new policy versions. */
@RestController
@RequestMapping("/api/v1")
class PolicyApi {

    private final ThresholdPolicies policies;
    private final ChipCatalog chips;

    PolicyApi(ThresholdPolicies policies, ChipCatalog chips) {
        this.policies = policies;
        this.chips = chips;
    }

    record NewPolicy(String title, List<ThresholdRule> rules) {
    }

    @GetMapping("/threshold-policy")
    @PermitAll
    ThresholdPolicy current() {
        return policies.current();
    }

    @GetMapping("/threshold-policy/versions")
    @PermitAll
    List<Integer> versions() {
        return policies.versions();
    }

    @GetMapping("/threshold-policy/versions/{version}")
    @PermitAll
    ThresholdPolicy version(@PathVariable int version) {
        return policies.version(version);
    }

    @PostMapping("/threshold-policy")
    @PreAuthorize("hasRole('REGULATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    ThresholdPolicy publish(@RequestBody NewPolicy body) {
        return policies.publish(Actors.require(), body.title(), body.rules());
    }

    @GetMapping("/chips")
    @PermitAll
    List<ChipCatalog.Chip> chips() {
        return chips.all();
    }
}
