"""The Qt-free core: datasets, validation, tokens, cost, and API work."""
