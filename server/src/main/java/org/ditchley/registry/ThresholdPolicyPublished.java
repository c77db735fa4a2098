package org.ditchley.registry;

import java.time.Instant;
import java.util.UUID;

/** A new version of the threshold policy took effect. */
public record ThresholdPolicyPublished(int version, java.util.List<String> ruleKeys, UUID by, Instant at) {
}
