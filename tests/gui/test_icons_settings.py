from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from ftstudio.gui.icons import icon, icon_names
from ftstudio.gui.settings import MAX_RECENT, Settings


def test_icons_render_and_unknown_names_list_the_known_ones(qapp):
    assert not icon("error").pixmap(32, 32).isNull()
    with pytest.raises(KeyError, match=r"known icons: .*warning"):
        icon("eror")
    assert {"ok", "warning", "error", "add", "delete"} <= set(icon_names())


def test_recent_files_newest_first_without_duplicates(tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    files = [tmp_path / f"{i}.jsonl" for i in range(MAX_RECENT + 2)]
    for path in files:
        settings.add_recent_file(path)
    settings.add_recent_file(files[3])
    recent = settings.recent_files()
    assert recent[0] == files[3].resolve()
    assert len(recent) == MAX_RECENT
    assert len(set(recent)) == MAX_RECENT


def test_standalone_sample_shows_every_format(qtbot):
    from ftstudio.gui.dataset.__main__ import sample_store
    from ftstudio.gui.dataset.tab import DatasetTab
    from ftstudio.gui.dataset.table_model import Column
    from ftstudio.gui.document import Document

    doc = Document(sample_store(), title="sample")
    tab = DatasetTab()
    qtbot.addWidget(tab)
    tab.set_document(doc)
    model = tab.model
    formats = [
        model.data(model.index(r, Column.FORMAT)) for r in range(model.rowCount())
    ]
    assert formats == ["chat", "chat", "preference", "completion", "chat", "not JSON"]
    tab.shutdown()
    doc.close()
