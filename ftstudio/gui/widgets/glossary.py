"""Fine-tuning words explained in plain language, for tooltips."""

from __future__ import annotations

EPOCH = (
    "An epoch is one full pass over your examples. With 3 epochs the model "
    "reads every example three times. More epochs teach the examples more "
    "firmly, cost more, and can make the model repeat them too literally."
)

AUTO_EPOCHS = (
    "Auto lets OpenAI choose the number of epochs from the size of your "
    "dataset: small datasets are read more often, large ones less."
)

BATCH_SIZE = (
    "The batch size is how many examples the model looks at before it adjusts "
    "itself once. It changes how training goes, not what it costs."
)

LEARNING_RATE_MULTIPLIER = (
    "The learning-rate multiplier sets how big each adjustment is. Higher "
    "learns faster but can overshoot; lower is more careful. It does not "
    "change the cost."
)

BILLING_TOKENS = (
    "Tokens are the small pieces of text the model reads (about ¾ of a word "
    "each). You pay for every token of every example, once per epoch. An "
    "example longer than the model's limit is cut, and only the part that is "
    "kept is charged."
)

PRICE = (
    "What OpenAI charges for training on one million tokens with this model. "
    "Prices change: check OpenAI's pricing page and type today's price here."
)

WEIGHT = (
    "Whether training learns from this reply. Replies that are switched off "
    "(weight 0 in the file) are still read as context, but the model is not "
    "taught to write them."
)
