"""The shutdown kit in the window: the model inventory, the archive, the provider choice."""
