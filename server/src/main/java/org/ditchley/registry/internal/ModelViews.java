package org.ditchley.registry.internal;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Builds {@link ModelView}s: in full for one model, without lineage and counts for lists. */
@Component
public class ModelViews {

    private final ModelService models;
    private final DeploymentService deployments;
    private final DistributionService distributions;

    ModelViews(ModelService models, DeploymentService deployments, DistributionService distributions) {
        this.models = models;
        this.deployments = deployments;
        this.distributions = distributions;
    }

    public ModelView full(UUID id) {
        Model model = models.get(id);
        List<ModelView.Parent> parents = models.parents(id).stream()
                .map(e -> new ModelView.Parent(e.parentId(), e.relation())).toList();
        return ModelView.of(model, models.estimates(model.facts()), models.policy(), parents,
                deployments.countForModel(id), distributions.countForModel(id));
    }

    public Page<ModelView> page(ModelFilter filter) {
        ThresholdPolicy policy = models.policy();
        Page<Model> page = models.search(filter, policy);
        return new Page<>(page.items().stream()
                .map(m -> ModelView.of(m, models.estimates(m.facts()), policy, null, null, null)).toList(),
                page.page(), page.size(), page.total());
    }
}
