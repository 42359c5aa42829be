"""Store events name their kind with an enum, not a bare string."""

from __future__ import annotations

from ftstudio.core.dataset.edits import delete_rows, insert_values
from ftstudio.core.dataset.events import ChangeKind, StoreEvent
from ftstudio.core.dataset.store import DatasetStore, Layout


def test_each_change_says_its_kind_as_an_enum_member() -> None:
    store = DatasetStore.from_bytes(b"{}\n{}\n")
    kinds: list[object] = []

    class Recorder:
        def store_about_to_change(self, event: StoreEvent) -> None:
            pass

        def store_changed(self, event: StoreEvent) -> None:
            kinds.append(event.kind)

    store.subscribe(Recorder())
    insert_values(store, 1, [{}]).apply(store)
    delete_rows(store, [0]).apply(store)
    store.set_layout(Layout(bom=True))
    assert kinds == [ChangeKind.SPLICE, ChangeKind.RESET, ChangeKind.LAYOUT]
    assert all(isinstance(kind, ChangeKind) for kind in kinds)
    assert kinds[0] == "splice"  # still readable as its old word
