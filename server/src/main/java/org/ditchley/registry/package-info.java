/**
 * The register of frontier AI: models (creation), training runs, distributions (sale) and
 * deployments (use), declared lineage, the chip catalog, compute estimates and the versioned
 * threshold policy that says which models are frontier models, and imports from public
 * datasets (Epoch AI). Every change publishes a past-tense event.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Registry")
package org.ditchley.registry;
