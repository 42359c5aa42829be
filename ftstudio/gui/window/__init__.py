"""Parts of the main window: menus, the error banner, the progress area."""
