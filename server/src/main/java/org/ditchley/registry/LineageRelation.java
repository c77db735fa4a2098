package org.ditchley.registry;

/** How a model derives from a parent, as Hugging Face model cards declare it. */
public enum LineageRelation {
    FINETUNE, ADAPTER, QUANTIZED, MERGE, DISTILLED
}
