"""The window's own settings (QSettings) with typed reads; secrets never go here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, qVersion

from ftstudio.core.paths import user_config_dir

MAX_RECENT = 10

# Geometry is versioned with Qt: a saved state from another Qt can misplace
# docks and splitters (Anki does the same).
_GEOMETRY = f"window/geometry-{qVersion()}"
SPLITTERS = ("dataset", "validator", "launch", "monitor", "monitor-events")
"""The splitters whose place is remembered (the tab, or the tab and which one)."""


def _splitter_key(name: str) -> str:
    return f"{name}/splitter-{qVersion()}"


_KEYS: dict[str, type] = {
    _GEOMETRY: QByteArray,
    **{_splitter_key(name): QByteArray for name in SPLITTERS},
    "files/last_folder": str,
    "files/recent": list,
    "validation/model": str,
    "local/models_dir": str,
    "local/device": str,
    "connection/provider": str,
    "appearance/theme": str,
}
PROVIDERS = ("service", "sandbox", "local")
"""The saved service (key and address in Settings), the offline practice sandbox, or
local training on this computer."""


class Settings:
    """Typed access to the window's settings file.

    Parameters
    ----------
    store
        The QSettings to use; by default an INI file in the user's config folder
        (tests point that folder elsewhere).
    """

    def __init__(self, store: QSettings | None = None) -> None:
        if store is None:
            path = user_config_dir() / "window.ini"
            store = QSettings(str(path), QSettings.Format.IniFormat)
        self._store = store

    def value(self, key: str) -> object:
        """Return the raw value of ``key`` or None.

        Raises
        ------
        KeyError
            For a key the window does not use (catches typos early).
        """
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            msg = f"unknown setting {key!r}; known settings: {known}"
            raise KeyError(msg)
        value = self._store.value(key)
        return value if isinstance(value, _KEYS[key]) else None

    def _set(self, key: str, value: object) -> None:
        self.value(key)  # validates the key
        self._store.setValue(key, value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()

    # typed accessors ------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        """Return the saved main-window geometry."""
        value = self.value(_GEOMETRY)
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, geometry: QByteArray) -> None:
        """Remember the main-window geometry."""
        self._set(_GEOMETRY, geometry)

    def splitter(self, name: str = "dataset") -> QByteArray | None:
        """Return the saved state of splitter ``name`` (one of :data:`SPLITTERS`)."""
        value = self.value(_splitter_key(name))
        return value if isinstance(value, QByteArray) else None

    def set_splitter(self, state: QByteArray, name: str = "dataset") -> None:
        """Remember the state of splitter ``name`` (one of :data:`SPLITTERS`)."""
        self._set(_splitter_key(name), state)

    def last_folder(self) -> Path:
        """Return the folder the last file dialog was in (home at first)."""
        value = self.value("files/last_folder")
        if isinstance(value, str) and Path(value).is_dir():
            return Path(value)
        return Path.home()

    def set_last_folder(self, folder: Path) -> None:
        """Remember ``folder`` for the next file dialog."""
        self._set("files/last_folder", str(folder))

    def recent_files(self) -> list[Path]:
        """Return recently opened files, newest first."""
        value = self.value("files/recent")
        if not isinstance(value, list):
            return []
        return [Path(v) for v in value if isinstance(v, str)][:MAX_RECENT]

    def add_recent_file(self, path: Path) -> None:
        """Put ``path`` first in the recent files."""
        path = path.resolve()
        files = [p for p in self.recent_files() if p != path]
        self._set("files/recent", [str(p) for p in [path, *files][:MAX_RECENT]])

    def clear_recent_files(self) -> None:
        """Forget the recent files."""
        self._set("files/recent", [])

    def model(self) -> str | None:
        """Return the target model chosen last."""
        value = self.value("validation/model")
        return value if isinstance(value, str) and value else None

    def set_model(self, name: str) -> None:
        """Remember the target model."""
        self._set("validation/model", name)

    def local_training(self) -> tuple[Path | None, str]:
        """Return the models folder and device chosen last for local training."""
        folder = self.value("local/models_dir")
        device = self.value("local/device")
        return (
            Path(folder) if isinstance(folder, str) and folder else None,
            device if isinstance(device, str) and device else "auto",
        )

    def set_local_training(self, folder: Path, device: str) -> None:
        """Remember the models folder and device for local training."""
        self._set("local/models_dir", str(folder))
        self._set("local/device", device)

    def provider(self) -> str:
        """Return "sandbox" or "local" when the user last chose one of those, else "service"."""
        value = self.value("connection/provider")
        return value if value in PROVIDERS else "service"

    def set_provider(self, provider: str) -> None:
        """Remember the provider chosen (one of :data:`PROVIDERS`) at once."""
        if provider not in PROVIDERS:
            msg = f"unknown provider {provider!r}; known: {', '.join(PROVIDERS)}"
            raise ValueError(msg)
        if self.value("connection/provider") != provider:
            self._set("connection/provider", provider)
            self.sync()  # a crash later must not forget it

    def theme(self) -> str:
        """Return the colour theme chosen: "system" (the default), "light" or "dark"."""
        value = self.value("appearance/theme")
        return value if isinstance(value, str) and value else "system"

    def set_theme(self, theme: str) -> None:
        """Remember the colour theme."""
        self._set("appearance/theme", theme)
        self.sync()
