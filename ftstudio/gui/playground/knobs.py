"""The sampling knobs of the chat: temperature, reply length and top p, explained."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from ftstudio.core.chat.stream import ChatSettings

DEFAULT_TEMPERATURE = 1.0
DEFAULT_TOP_P = 1.0
MAX_REPLY_TOKENS = 128_000


class SamplingKnobs(QWidget):
    """Three spin boxes with plain tooltips; 0 reply tokens means "no limit"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(DEFAULT_TEMPERATURE)
        self.temperature.setToolTip(
            "Higher values make replies more varied, lower more predictable."
        )
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(0, MAX_REPLY_TOKENS)
        self.max_tokens.setSpecialValueText("no limit")
        self.max_tokens.setToolTip("The longest reply, in tokens (about ¾ of a word).")
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.0, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(DEFAULT_TOP_P)
        self.top_p.setToolTip(
            "Only the most likely words that together make up this share are "
            "considered. Change this or temperature, not both."
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            ("Temperature", self.temperature),
            ("Max reply tokens", self.max_tokens),
            ("Top p", self.top_p),
        ):
            layout.addWidget(QLabel(label))
            layout.addWidget(widget)

    def settings(self) -> ChatSettings:
        """Return the settings as chosen."""
        tokens = self.max_tokens.value()
        return ChatSettings(
            temperature=round(self.temperature.value(), 2),
            max_tokens=tokens or None,
            top_p=round(self.top_p.value(), 2),
        )

    def set_settings(self, settings: ChatSettings) -> None:
        """Show ``settings`` (a missing value shows the service's default)."""
        t, p = settings.temperature, settings.top_p
        self.temperature.setValue(DEFAULT_TEMPERATURE if t is None else t)
        self.max_tokens.setValue(settings.max_tokens or 0)
        self.top_p.setValue(DEFAULT_TOP_P if p is None else p)
