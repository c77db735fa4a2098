package org.ditchley.registry.internal;

import jakarta.annotation.security.PermitAll;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.ditchley.identity.Actors;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Training runs (confidential to the developer and regulators), distributions (public) and
 * deployments (confidential to the deployer and regulators; the public sees counts).
 */
@RestController
@RequestMapping("/api/v1")
class RegistrationApi {

    private final TrainingRunService runs;
    private final DistributionService distributions;
    private final DeploymentService deployments;

    RegistrationApi(TrainingRunService runs, DistributionService distributions, DeploymentService deployments) {
        this.runs = runs;
        this.distributions = distributions;
        this.deployments = deployments;
    }

    record StatusChange(Deployment.Status status) {
    }

    @PostMapping("/training-runs")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    ResponseEntity<TrainingRun> registerRun(@RequestBody TrainingRunDraft body) {
        TrainingRun run = runs.register(Actors.require(), body);
        return ResponseEntity.created(URI.create("/api/v1/training-runs/" + run.id())).body(run);
    }

    @GetMapping("/training-runs")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    List<TrainingRun> listRuns(@RequestParam(required = false) UUID model) {
        return runs.list(Actors.require(), model);
    }

    @GetMapping("/training-runs/{id}")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    TrainingRun getRun(@PathVariable UUID id) {
        return runs.get(Actors.require(), id);
    }

    @PostMapping("/distributions")
    @PreAuthorize("hasRole('DISTRIBUTOR')")
    ResponseEntity<Distribution> registerDistribution(@RequestBody DistributionService.Draft body) {
        Distribution d = distributions.register(Actors.require(), body);
        return ResponseEntity.created(URI.create("/api/v1/distributions/" + d.id())).body(d);
    }

    @GetMapping("/distributions/{id}")
    @PermitAll
    Distribution getDistribution(@PathVariable UUID id) {
        return distributions.get(id);
    }

    @GetMapping("/models/{id}/distributions")
    @PermitAll
    List<Distribution> distributionsOf(@PathVariable UUID id) {
        return distributions.forModel(id);
    }

    @PostMapping("/deployments")
    @PreAuthorize("hasRole('DEPLOYER')")
    ResponseEntity<Deployment> registerDeployment(@RequestBody DeploymentService.Draft body) {
        Deployment d = deployments.register(Actors.require(), body);
        return ResponseEntity.created(URI.create("/api/v1/deployments/" + d.id())).body(d);
    }

    @GetMapping("/deployments")
    @PreAuthorize("hasAnyRole('DEPLOYER', 'REGULATOR')")
    List<Deployment> listDeployments(@RequestParam(required = false) UUID model) {
        return deployments.visibleTo(Actors.require(), model);
    }

    @GetMapping("/deployments/{id}")
    @PreAuthorize("hasAnyRole('DEPLOYER', 'REGULATOR')")
    Deployment getDeployment(@PathVariable UUID id) {
        return deployments.get(Actors.require(), id);
    }

    record AgentEnrolment(String agentKey, UUID artifactId) {
    }

    @PutMapping("/deployments/{id}/agent")
    @PreAuthorize("hasRole('DEPLOYER')")
    Deployment enrolAgent(@PathVariable UUID id, @RequestBody AgentEnrolment body) {
        return deployments.enrolAgent(Actors.require(), id, body.agentKey(), body.artifactId());
    }

    @PostMapping("/deployments/{id}/status")
    @PreAuthorize("hasAnyRole('DEPLOYER', 'REGULATOR')")
    Deployment changeDeploymentStatus(@PathVariable UUID id, @RequestBody StatusChange body) {
        return deployments.changeStatus(Actors.require(), id, body == null ? null : body.status());
    }
}
