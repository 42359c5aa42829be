"""The Dataset tab: a virtual table over the open dataset and the example editor."""
