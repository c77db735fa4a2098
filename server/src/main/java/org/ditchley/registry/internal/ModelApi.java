package org.ditchley.registry.internal;

import jakarta.annotation.security.PermitAll;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.ditchley.identity.Actors;
import org.ditchley.registry.LineageRelation;
import org.ditchley.registry.ModelStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The register of models: public to read; developers (for their own organisation) and regulators write. */
@RestController
@RequestMapping("/api/v1/models")
class ModelApi {

    private final ModelService models;
    private final ModelViews views;

    ModelApi(ModelService models, ModelViews views) {
        this.models = models;
        this.views = views;
    }

    /** A model to register; {@code organisationId} is needed only when a regulator registers on a developer's behalf. */
    record NewModel(UUID organisationId, ModelStatus status, String name, String version, String modality,
                    Double parametersTotal, Double parametersActive, Double trainingTokens, Double reportedCompute,
                    String computeMethod, String hardwareChip, Double hardwareQuantity, Double trainingHours,
                    Double utilisation, String precision, Boolean openWeights, java.time.LocalDate publicationDate) {
        ModelDraft draft() {
            return new ModelDraft(name, version, modality, parametersTotal, parametersActive, trainingTokens,
                    reportedCompute, computeMethod, hardwareChip, hardwareQuantity, trainingHours, utilisation,
                    precision, openWeights, publicationDate);
        }
    }

    record StatusChange(ModelStatus status, String reason) {
    }

    record ParentDeclaration(UUID parentId, LineageRelation relation) {
    }

    record Lineage(List<LineageStore.Relative> ancestors, List<LineageStore.Relative> descendants,
                   List<LineageStore.Edge> edges) {
    }

    @GetMapping
    @PermitAll
    Page<ModelView> list(@RequestParam(required = false) UUID developer,
                         @RequestParam(required = false) ModelStatus status,
                         @RequestParam(required = false) String threshold,
                         @RequestParam(required = false) String q,
                         @RequestParam(defaultValue = "0") int page,
                         @RequestParam(defaultValue = "50") int size) {
        return views.page(new ModelFilter(developer, status, threshold, q, page, size));
    }

    @GetMapping("/{id}")
    @PermitAll
    ModelView get(@PathVariable UUID id) {
        return views.full(id);
    }

    @PostMapping
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    ResponseEntity<ModelView> register(@RequestBody NewModel body) {
        Model model = models.register(Actors.require(), body.organisationId(), body.draft(), body.status());
        return ResponseEntity.created(URI.create("/api/v1/models/" + model.id())).body(views.full(model.id()));
    }

    /** Replaces the registered facts; the owning developer or a regulator. */
    @PutMapping("/{id}")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    ModelView update(@PathVariable UUID id, @RequestBody NewModel body) {
        models.update(Actors.require(), id, body.draft());
        return views.full(id);
    }

    @PostMapping("/{id}/status")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    ModelView changeStatus(@PathVariable UUID id, @RequestBody StatusChange body) {
        models.transition(Actors.require(), id, body.status(), body.reason());
        return views.full(id);
    }

    @PostMapping("/{id}/parents")
    @PreAuthorize("hasAnyRole('DEVELOPER', 'REGULATOR')")
    @ResponseStatus(HttpStatus.CREATED)
    ModelView declareParent(@PathVariable UUID id, @RequestBody ParentDeclaration body) {
        models.declareParent(Actors.require(), id, body.parentId(), body.relation());
        return views.full(id);
    }

    @GetMapping("/{id}/ancestors")
    @PermitAll
    List<LineageStore.Relative> ancestors(@PathVariable UUID id) {
        return models.ancestors(id);
    }

    @GetMapping("/{id}/descendants")
    @PermitAll
    List<LineageStore.Relative> descendants(@PathVariable UUID id) {
        return models.descendants(id);
    }

    /** Ancestors and descendants with the edges among them and the model, for drawing. */
    @GetMapping("/{id}/lineage")
    @PermitAll
    Lineage lineage(@PathVariable UUID id) {
        List<LineageStore.Relative> up = models.ancestors(id);
        List<LineageStore.Relative> down = models.descendants(id);
        List<UUID> all = new java.util.ArrayList<>();
        all.add(id);
        up.forEach(r -> all.add(r.id()));
        down.forEach(r -> all.add(r.id()));
        return new Lineage(up, down, models.edgesAmong(all));
    }
}
