"""The PySide6 studio window: widgets, item models, dialogs, one subpackage per tab."""
