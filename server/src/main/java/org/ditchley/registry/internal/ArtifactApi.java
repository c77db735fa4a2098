package org.ditchley.registry.internal;

import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.UUID;
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
import tools.jackson.databind.JsonNode;

/**
 * Artifacts and identification. A developer registers artifacts of its own models (regulators of
 * any); anyone may list a model's artifacts and the lineage detected in their weights; anyone
 * signed in (a deployer before registering a deployment, a regulator with weights found in the
 * wild) may ask what a statement or fingerprint is.
 */
@RestController
@RequestMapping("/api/v1")
class ArtifactApi {

    record Registration(String name, JsonNode statement, JsonNode fingerprint) {
    }

    record Query(JsonNode statement, JsonNode fingerprint) {
    }

    record Identification(List<ArtifactService.Match> matches) {
    }

    private final ArtifactService artifacts;

    ArtifactApi(ArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    @PostMapping("/models/{id}/artifacts")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    ArtifactService.Registered register(@PathVariable UUID id, @RequestBody Registration body) {
        return artifacts.register(Actors.require(), id, body.name(), body.statement(), body.fingerprint());
    }

    @GetMapping("/models/{id}/artifacts")
    @PermitAll
    List<ArtifactService.Artifact> ofModel(@PathVariable UUID id) {
        return artifacts.ofModel(id);
    }

    @GetMapping("/models/{id}/detected-lineage")
    @PermitAll
    List<ArtifactService.Detected> detected(@PathVariable UUID id) {
        return artifacts.detectedParents(id);
    }

    @PostMapping("/identify")
    @PreAuthorize("isAuthenticated()")
    Identification identify(@RequestBody Query body) {
        return new Identification(artifacts.identify(ArtifactService.Evidence.read(body.statement(), body.fingerprint()), null));
    }
}
