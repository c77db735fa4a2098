package org.ditchley.registry.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.Organisation;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Organisations;
import org.ditchley.identity.Role;
import org.ditchley.platform.ConflictException;
import org.ditchley.platform.InvalidInputException;
import org.ditchley.platform.NotFoundException;
import org.ditchley.registry.LineageDeclared;
import org.ditchley.registry.LineageRelation;
import org.ditchley.registry.ModelRegistered;
import org.ditchley.registry.ModelStatus;
import org.ditchley.registry.ModelStatusChanged;
import org.ditchley.registry.ModelUpdated;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registering models, changing their facts and status, and declaring their lineage. */
@Service
public class ModelService {

    private final ModelStore models;
    private final LineageStore lineage;
    private final ChipCatalog chips;
    private final ThresholdPolicies policies;
    private final Organisations organisations;
    private final ApplicationEventPublisher events;

    ModelService(ModelStore models, LineageStore lineage, ChipCatalog chips, ThresholdPolicies policies,
                 Organisations organisations, ApplicationEventPublisher events) {
        this.models = models;
        this.lineage = lineage;
        this.chips = chips;
        this.policies = policies;
        this.organisations = organisations;
        this.events = events;
    }

    public Model get(UUID id) {
        return models.find(id).orElseThrow(() -> new NotFoundException("model", id));
    }

    /** Models matching {@code filter}; {@code policy} gives the threshold rules a filter may name. */
    public Page<Model> search(ModelFilter filter, ThresholdPolicy policy) {
        return models.search(filter, policy);
    }

    public ThresholdPolicy policy() {
        return policies.current();
    }

    /**
     * Registers a model. A developer registers for its own organisation ({@code organisationId}
     * may be null or must be its own); a regulator must name the developer organisation.
     */
    @Transactional
    public Model register(Actor actor, UUID organisationId, ModelDraft draft, ModelStatus status) {
        UUID owner = owner(actor, organisationId);
        ModelStatus initial = status == null ? ModelStatus.REGISTERED : status;
        if (initial != ModelStatus.PLANNED && initial != ModelStatus.IN_TRAINING && initial != ModelStatus.REGISTERED) {
            throw new InvalidInputException("status", "a new model is PLANNED, IN_TRAINING or REGISTERED, not " + initial);
        }
        requireChipKnown(draft);
        if (models.findByIdentity(owner, draft.name(), draft.version()).isPresent()) {
            throw new ConflictException("duplicate-model", "this organisation already registered " + draft.name()
                    + (draft.version().isEmpty() ? "" : " version " + draft.version()));
        }
        UUID id = models.insert(owner, draft, initial, estimates(draft), "registration", null, actor.accountId());
        events.publishEvent(new ModelRegistered(id, owner, draft.name(), draft.version(), "registration",
                actor.accountId(), Instant.now()));
        return get(id);
    }

    @Transactional
    public Model update(Actor actor, UUID id, ModelDraft draft) {
        Model model = models.findForUpdate(id).orElseThrow(() -> new NotFoundException("model", id));
        requireMayEdit(actor, model);
        if (model.status() == ModelStatus.TERMINATED) {
            throw new ConflictException("illegal-state", "model " + id + " is TERMINATED and can no longer change");
        }
        requireChipKnown(draft);
        Optional<Model> clash = models.findByIdentity(model.organisationId(), draft.name(), draft.version());
        if (clash.isPresent() && !clash.get().id().equals(id)) {
            throw new ConflictException("duplicate-model", "this organisation already registered " + draft.name()
                    + (draft.version().isEmpty() ? "" : " version " + draft.version()));
        }
        List<String> changed = changedFields(model.facts(), draft);
        if (!changed.isEmpty()) {
            models.update(id, draft, estimates(draft));
            events.publishEvent(new ModelUpdated(id, model.organisationId(), changed, actor.accountId(), Instant.now()));
        }
        return get(id);
    }

    /**
     * Moves a model to {@code target}. Refused with the current status named when the move is not
     * allowed from there, or is not the actor's to make (developers move their own models into
     * training and registration; the rest is the regulator's).
     */
    @Transactional
    public Model transition(Actor actor, UUID id, ModelStatus target, String reason) {
        if (target == null) {
            throw new InvalidInputException("status", "is required");
        }
        Model model = models.findForUpdate(id).orElseThrow(() -> new NotFoundException("model", id));
        boolean regulator = actor.isRegulator();
        if (!regulator) {
            requireMayEdit(actor, model);
        }
        ModelStatus current = model.status();
        if (!current.canMoveTo(target)) {
            throw new ConflictException("illegal-transition", "model " + model.displayName() + " is " + current
                    + " and cannot move to " + target + " (allowed: " + current.next() + ")");
        }
        if (!regulator) {
            if (!current.developerMayMoveTo(target)) {
                throw new AccessDeniedException("only a regulator may move a model from " + current + " to " + target);
            }
        }
        if (regulator && target == ModelStatus.TERMINATED && (reason == null || reason.isBlank())) {
            throw new InvalidInputException("reason", "is required to terminate a model");
        }
        String cleanReason = reason == null ? null : ModelDraft.text("reason", reason, 2000, false);
        models.setStatus(id, target);
        events.publishEvent(new ModelStatusChanged(id, current, target, cleanReason, actor.accountId(), Instant.now()));
        return get(id);
    }

    /** Declares that {@code childId} derives from {@code parentId}; refuses edges that would close a cycle. */
    @Transactional
    public void declareParent(Actor actor, UUID childId, UUID parentId, LineageRelation relation) {
        Model child = models.findForUpdate(childId).orElseThrow(() -> new NotFoundException("model", childId));
        requireMayEdit(actor, child);
        declareParentUnchecked(child, parentId, relation, actor.accountId());
    }

    void declareParentUnchecked(Model child, UUID parentId, LineageRelation relation, UUID by) {
        if (relation == null) {
            throw new InvalidInputException("relation", "is required (one of FINETUNE, ADAPTER, QUANTIZED, MERGE, DISTILLED)");
        }
        if (parentId == null) {
            throw new InvalidInputException("parentId", "is required");
        }
        if (parentId.equals(child.id())) {
            throw new InvalidInputException("parentId", "a model cannot derive from itself");
        }
        Model parent = models.find(parentId).orElseThrow(() -> new NotFoundException("model", parentId));
        if (lineage.ancestors(parentId).stream().anyMatch(a -> a.id().equals(child.id()))) {
            throw new ConflictException("lineage-cycle", parent.displayName() + " already derives from "
                    + child.displayName() + "; declaring it a parent would make a cycle");
        }
        lineage.declare(child.id(), parentId, relation);
        events.publishEvent(new LineageDeclared(child.id(), parentId, relation, by, Instant.now()));
    }

    public List<LineageStore.Relative> ancestors(UUID id) {
        get(id);
        return lineage.ancestors(id);
    }

    public List<LineageStore.Relative> descendants(UUID id) {
        get(id);
        return lineage.descendants(id);
    }

    public List<LineageStore.Edge> parents(UUID id) {
        return lineage.parents(id);
    }

    public List<LineageStore.Edge> edgesAmong(List<UUID> ids) {
        return lineage.edgesAmong(ids);
    }

    /** Every compute figure for these facts: reported, from hardware, from parameters. */
    public ComputeEstimates estimates(ModelDraft d) {
        Optional<ComputeEstimate> reported = Optional.ofNullable(d.reportedCompute())
                .map(c -> ComputeEstimator.reported(c, d.computeMethod()));
        Optional<ComputeEstimate> hardware = chips.find(d.hardwareChip()).flatMap(chip -> {
            String precision = d.precision() != null && chip.peakFlops().containsKey(d.precision())
                    ? d.precision() : chip.defaultPrecision();
            return ComputeEstimator.fromHardware(chip.name(), precision, chip.peakFlops().get(precision),
                    d.hardwareQuantity(), d.trainingHours(), d.utilisation());
        });
        Optional<ComputeEstimate> parameters = ComputeEstimator.fromParameters(d.parametersActive(),
                d.parametersTotal(), d.trainingTokens());
        return new ComputeEstimates(reported, hardware, parameters);
    }

    public List<ThresholdEvaluation> thresholds(Model model) {
        return policies.current().evaluate(estimates(model.facts()));
    }

    /** Whether the model crosses any rule of the current policy. */
    public boolean frontier(Model model) {
        return thresholds(model).stream().anyMatch(ThresholdEvaluation::crossed);
    }

    static void requireMayEdit(Actor actor, Model model) {
        if (actor.isRegulator()) {
            return;
        }
        if (!actor.memberOf(model.organisationId()) || !actor.has(Role.DEVELOPER)) {
            throw new AccessDeniedException("model " + model.id() + " belongs to another organisation");
        }
    }

    private UUID owner(Actor actor, UUID organisationId) {
        if (actor.isRegulator()) {
            if (organisationId == null) {
                throw new InvalidInputException("organisationId", "a regulator must name the developer organisation");
            }
            Organisation org = organisations.find(organisationId)
                    .orElseThrow(() -> new NotFoundException("organisation", organisationId));
            if (org.kind() != OrganisationKind.DEVELOPER) {
                throw new InvalidInputException("organisationId", org.name() + " is a " + org.kind() + ", not a DEVELOPER");
            }
            return organisationId;
        }
        if (!actor.has(Role.DEVELOPER)) {
            throw new AccessDeniedException("only developers register models");
        }
        if (organisationId != null && !actor.memberOf(organisationId)) {
            throw new AccessDeniedException("a developer registers models for its own organisation only");
        }
        return actor.organisationId();
    }

    private void requireChipKnown(ModelDraft draft) {
        if (draft.hardwareChip() != null && chips.find(draft.hardwareChip()).isEmpty()) {
            throw new InvalidInputException("hardwareChip", "'" + draft.hardwareChip() + "' is not in the chip catalog "
                    + chips.all().stream().map(ChipCatalog.Chip::id).toList());
        }
    }

    static List<String> changedFields(ModelDraft a, ModelDraft b) {
        List<String> changed = new ArrayList<>();
        for (var component : ModelDraft.class.getRecordComponents()) {
            try {
                if (!Objects.equals(component.getAccessor().invoke(a), component.getAccessor().invoke(b))) {
                    changed.add(component.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return changed;
    }

}
