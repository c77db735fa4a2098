package org.ditchley.registry.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.ditchley.identity.Actors;
import org.ditchley.platform.DitchleyException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.registry.internal.ChipCatalog;
import org.ditchley.registry.internal.Deployment;
import org.ditchley.registry.internal.DeploymentService;
import org.ditchley.registry.internal.Distribution;
import org.ditchley.registry.internal.DistributionService;
import org.ditchley.registry.internal.ModelService;
import org.ditchley.registry.internal.TrainingRunDraft;
import org.ditchley.registry.internal.TrainingRunService;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The forms to register a model's training run, a distribution of it and a deployment of it. */
@Controller
class RegistrationPages {

    private final ModelService models;
    private final TrainingRunService runs;
    private final DistributionService distributions;
    private final DeploymentService deployments;
    private final ChipCatalog chips;

    RegistrationPages(ModelService models, TrainingRunService runs, DistributionService distributions,
                      DeploymentService deployments, ChipCatalog chips) {
        this.models = models;
        this.runs = runs;
        this.distributions = distributions;
        this.deployments = deployments;
        this.chips = chips;
    }

    /** The model's developer or a regulator: the form to register a training run. */
    @GetMapping("/my/models/{id}/training-runs/new")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    String runForm(@PathVariable UUID id, Model model) {
        return form(model, id, "training-run", Map.of(), null);
    }

    /** The model's developer or a regulator: registers a training run (before it starts, if it crosses a threshold). */
    @PostMapping("/my/models/{id}/training-runs/new")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    String registerRun(@PathVariable UUID id, @RequestParam Map<String, String> fields, Model model,
                       RedirectAttributes redirect, HttpServletResponse response) {
        return submit(id, "training-run", "Training run registered.", fields, model, redirect, response, () ->
                runs.register(Actors.require(), new TrainingRunDraft(id, Views.number("plannedCompute", fields.get("plannedCompute")),
                        Views.text(fields.get("chipId")), Views.integer("chipCount", fields.get("chipCount")),
                        Views.text(fields.get("precision")), Views.number("utilisation", fields.get("utilisation")),
                        Views.list(fields.get("clusters")), Views.list(fields.get("providers")),
                        day("plannedStart", fields.get("plannedStart")), day("plannedEnd", fields.get("plannedEnd")))));
    }

    /** Distributors: the form to register a distribution of the model. */
    @GetMapping("/my/models/{id}/distributions/new")
    @PreAuthorize("hasRole('DISTRIBUTOR')")
    String distributionForm(@PathVariable UUID id, Model model) {
        return form(model, id, "distribution", Map.of(), null);
    }

    /** Distributors: registers a distribution of the model. */
    @PostMapping("/my/models/{id}/distributions/new")
    @PreAuthorize("hasRole('DISTRIBUTOR')")
    String registerDistribution(@PathVariable UUID id, @RequestParam Map<String, String> fields, Model model,
                                RedirectAttributes redirect, HttpServletResponse response) {
        return submit(id, "distribution", "Distribution registered.", fields, model, redirect, response, () ->
                distributions.register(Actors.require(), new DistributionService.Draft(id,
                        choice("channel", fields.get("channel"), Distribution.Channel.class), fields.get("terms"),
                        Views.list(fields.get("jurisdictions")))));
    }

    /** Deployers: the form to register a deployment (a copy in use) of the model. */
    @GetMapping("/my/models/{id}/deployments/new")
    @PreAuthorize("hasRole('DEPLOYER')")
    String deploymentForm(@PathVariable UUID id, Model model) {
        return form(model, id, "deployment", Map.of(), null);
    }

    /** Deployers: registers a deployment of the model. */
    @PostMapping("/my/models/{id}/deployments/new")
    @PreAuthorize("hasRole('DEPLOYER')")
    String registerDeployment(@PathVariable UUID id, @RequestParam Map<String, String> fields, Model model,
                              RedirectAttributes redirect, HttpServletResponse response) {
        return submit(id, "deployment", "Deployment registered.", fields, model, redirect, response, () ->
                deployments.register(Actors.require(), new DeploymentService.Draft(id,
                        choice("locationKind", fields.get("locationKind"), Deployment.LocationKind.class),
                        fields.get("location"), fields.get("endpoint"), null)));
    }

    /** Runs {@code register}; on success back to the model page, else the form again with the error. */
    private String submit(UUID id, String kind, String done, Map<String, String> fields, Model model,
                          RedirectAttributes redirect, HttpServletResponse response, Runnable register) {
        try {
            register.run();
            redirect.addFlashAttribute("message", done);
            return "redirect:/models/" + id;
        } catch (DitchleyException e) {
            response.setStatus(e.status().value());
            return form(model, id, kind, fields, e.getMessage());
        }
    }

    private String form(Model model, UUID id, String kind, Map<String, String> fields, String error) {
        model.addAttribute("target", models.get(id));
        model.addAttribute("kind", kind);
        model.addAttribute("fields", fields);
        model.addAttribute("error", error);
        model.addAttribute("chips", chips.all());
        model.addAttribute("channels", Distribution.Channel.values());
        model.addAttribute("locationKinds", Deployment.LocationKind.values());
        return "registry/registration-form";
    }

    private static Instant day(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "is not a date (YYYY-MM-DD)");
        }
    }

    private static <E extends Enum<E>> E choice(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "'" + value.strip() + "' is not one of "
                    + java.util.List.of(type.getEnumConstants()));
        }
    }
}
