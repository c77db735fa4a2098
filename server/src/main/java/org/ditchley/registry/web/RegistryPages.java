package org.ditchley.registry.web;

import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Actors;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Organisations;
import org.ditchley.registry.ModelStatus;
import org.ditchley.registry.internal.LineageStore;
import org.ditchley.registry.internal.ModelFilter;
import org.ditchley.registry.internal.ModelService;
import org.ditchley.registry.internal.ModelView;
import org.ditchley.registry.internal.ModelViews;
import org.ditchley.registry.internal.Page;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/** The public register: the searchable list of models and each model's page. */
@Controller
class RegistryPages {

    static final int PAGE_SIZE = 50;

    private final ModelService models;
    private final ModelViews views;
    private final Organisations organisations;
    private final org.ditchley.registry.internal.ArtifactService artifacts;

    RegistryPages(ModelService models, ModelViews views, Organisations organisations,
                  org.ditchley.registry.internal.ArtifactService artifacts) {
        this.artifacts = artifacts;
        this.models = models;
        this.views = views;
        this.organisations = organisations;
    }

    /** Anyone: the register, searchable by name and filtered by developer, status and threshold rule crossed. */
    @GetMapping("/models")
    @PermitAll
    String list(@RequestParam(required = false) String q, @RequestParam(required = false) String developer,
                @RequestParam(required = false) String status, @RequestParam(required = false) String threshold,
                @RequestParam(defaultValue = "0") int page, Model model) {
        UUID developerId = Views.uuid("developer", developer);
        ModelStatus modelStatus = Views.status(status);
        Page<ModelView> result = views.page(new ModelFilter(developerId, modelStatus, threshold, q, page, PAGE_SIZE));
        model.addAttribute("q", q);
        model.addAttribute("developer", developerId);
        model.addAttribute("status", modelStatus);
        model.addAttribute("threshold", threshold);
        model.addAttribute("rows", result.items().stream().map(Views.Row::of).toList());
        model.addAttribute("page", result);
        model.addAttribute("statuses", ModelStatus.values());
        model.addAttribute("rules", models.policy().rules());
        model.addAttribute("developers", organisations.all().stream()
                .filter(o -> o.kind() == OrganisationKind.DEVELOPER).toList());
        Function<Integer, String> link = n -> UriComponentsBuilder.fromPath("/models")
                .queryParamIfPresent("q", java.util.Optional.ofNullable(Views.text(q)))
                .queryParamIfPresent("developer", java.util.Optional.ofNullable(developerId))
                .queryParamIfPresent("status", java.util.Optional.ofNullable(modelStatus))
                .queryParamIfPresent("threshold", java.util.Optional.ofNullable(Views.text(threshold)))
                .queryParam("page", n).encode().build().toUriString();
        model.addAttribute("previous", page > 0 ? link.apply(page - 1) : null);
        model.addAttribute("next", page + 1 < result.pages() ? link.apply(page + 1) : null);
        return "registry/list";
    }

    /** Anyone: a model's facts, compute figures, thresholds, counts and lineage graph. */
    @GetMapping("/models/{id}")
    @PermitAll
    String show(@PathVariable UUID id, Model model) {
        ModelView view = views.full(id);
        List<LineageStore.Relative> ancestors = models.ancestors(id);
        List<LineageStore.Relative> descendants = models.descendants(id);
        List<UUID> ids = new ArrayList<>();
        ids.add(id);
        ancestors.forEach(r -> ids.add(r.id()));
        descendants.forEach(r -> ids.add(r.id()));
        Map<UUID, LineageStore.Relative> parentNames = ancestors.stream().filter(r -> r.depth() == 1)
                .collect(Collectors.toMap(LineageStore.Relative::id, r -> r, (a, b) -> a));
        Views.Row row = Views.Row.of(view);
        ModelView.Figure used = view.compute().used();
        model.addAttribute("m", view);
        model.addAttribute("displayName", row.name());
        model.addAttribute("figures", List.of(
                Views.FigureRow.of("Reported", view.compute().reported(), used),
                Views.FigureRow.of("Hardware (chips × peak × utilisation × time)", view.compute().hardware(), used),
                Views.FigureRow.of("Parameters (6 · N · D)", view.compute().parameters(), used)));
        model.addAttribute("used", used == null ? null : Views.flop(used.flop()));
        model.addAttribute("parents", parentNames);
        model.addAttribute("detected", artifacts.detectedParents(id));
        model.addAttribute("artifacts", artifacts.ofModel(id));
        model.addAttribute("graph", LineageGraph.of(id, row.name(), ancestors, descendants, models.edgesAmong(ids)));
        Actor actor = Actors.current().orElse(null);
        model.addAttribute("mayEdit", actor != null && (actor.isRegulator()
                || actor.memberOf(view.developerId()) && actor.has(org.ditchley.identity.Role.DEVELOPER)));
        model.addAttribute("mayDistribute", actor != null && actor.has(org.ditchley.identity.Role.DISTRIBUTOR));
        model.addAttribute("mayDeploy", actor != null && actor.has(org.ditchley.identity.Role.DEPLOYER));
        return "registry/model";
    }
}
