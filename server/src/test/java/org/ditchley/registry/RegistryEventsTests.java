package org.ditchley.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;
import org.ditchley.identity.Actor;
import org.ditchley.identity.OrganisationKind;
import org.ditchley.identity.Role;
import org.ditchley.registry.internal.ModelDraft;
import org.ditchley.registry.internal.ModelService;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/** Every change to the register publishes a past-tense event naming what changed and who changed it. */
@NodeTest
@RecordApplicationEvents
class RegistryEventsTests {

    @Autowired
    Node node;

    @Autowired
    ModelService models;

    @Autowired
    ApplicationEvents events;

    @Test
    void registeringChangingAndDeclaringLineagePublishEvents() {
        Node.Caller dev = node.developer();
        Actor actor = new Actor(dev.accountId, dev.organisationId, OrganisationKind.DEVELOPER, Set.of(Role.DEVELOPER), "Dev");
        UUID parent = models.register(actor, null, draft("Parent", null), null).id();
        UUID child = models.register(actor, null, draft("Child", null), ModelStatus.PLANNED).id();
        models.update(actor, child, draft("Child", 1e9));
        models.transition(actor, child, ModelStatus.IN_TRAINING, null);
        models.declareParent(actor, child, parent, LineageRelation.DISTILLED);

        assertThat(events.stream(ModelRegistered.class).map(ModelRegistered::modelId)).containsExactly(parent, child);
        assertThat(events.stream(ModelRegistered.class)).allMatch(e -> e.by().equals(dev.accountId));
        assertThat(events.stream(ModelUpdated.class)).singleElement()
                .satisfies(e -> assertThat(e.fields()).containsExactly("parametersTotal"));
        assertThat(events.stream(ModelStatusChanged.class)).singleElement()
                .satisfies(e -> assertThat(e.from() + ">" + e.to()).isEqualTo("PLANNED>IN_TRAINING"));
        assertThat(events.stream(LineageDeclared.class)).singleElement()
                .satisfies(e -> assertThat(e.relation()).isEqualTo(LineageRelation.DISTILLED));
    }

    static ModelDraft draft(String name, Double parameters) {
        return new ModelDraft(name, "", "language", parameters, null, null, null, null, null, null, null, null, null, false, null);
    }
}
