"""The headless command line: ``ftstudio validate|cost|convert|split|fix|sandbox …``."""
