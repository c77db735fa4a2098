package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.RegistrationReviewed;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * New registrations awaiting a regulator's review (models, training runs, distributions,
 * deployments) and alerts: lineage detected in a model's weights that the model does not declare.
 */
@Service
public class ReviewQueue {

    public enum Kind {
        MODEL("model"), TRAINING_RUN("training_run"), DISTRIBUTION("distribution"), DEPLOYMENT("deployment"),
        DETECTED_LINEAGE("detected_lineage");

        private final String table;

        Kind(String table) {
            this.table = table;
        }
    }

    public record Queue(List<Model> models, List<TrainingRun> trainingRuns, List<Distribution> distributions,
                        List<Deployment> deployments, List<ArtifactService.Alert> detectedLineage) {
        public int size() {
            return models.size() + trainingRuns.size() + distributions.size() + deployments.size() + detectedLineage.size();
        }
    }

    private final JdbcClient db;
    private final ModelStore models;
    private final TrainingRunService runs;
    private final DistributionService distributions;
    private final DeploymentService deployments;
    private final ApplicationEventPublisher events;
    private final ArtifactService artifacts;

    ReviewQueue(JdbcClient db, ModelStore models, TrainingRunService runs, DistributionService distributions,
                DeploymentService deployments, ApplicationEventPublisher events, ArtifactService artifacts) {
        this.artifacts = artifacts;
        this.db = db;
        this.models = models;
        this.runs = runs;
        this.distributions = distributions;
        this.deployments = deployments;
        this.events = events;
    }

    public Queue pending(int limit) {
        return new Queue(models.unreviewed(limit), runs.unreviewed(limit), distributions.unreviewed(limit),
                deployments.unreviewed(limit), artifacts.undeclared(limit));
    }

    @Transactional
    public void markReviewed(Actor regulator, Kind kind, UUID id) {
        if (kind == null) {
            throw new InvalidInputException("kind", "is required");
        }
        int found = db.sql("update " + kind.table + " set reviewed_at = coalesce(reviewed_at, now()),"
                        + " reviewed_by = coalesce(reviewed_by, ?) where id = ?")
                .params(regulator.accountId(), id).update();
        if (found == 0) {
            throw new NotFoundException(kind.name().toLowerCase().replace('_', ' '), id);
        }
        events.publishEvent(new RegistrationReviewed(kind.name(), id, regulator.accountId(), Instant.now()));
    }
}
