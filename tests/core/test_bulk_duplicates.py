"""One duplicate rule: Bulk → Delete duplicates and the Validator's fix agree."""

from __future__ import annotations

from ftstudio.core.dataset.bulk import delete_duplicates
from ftstudio.core.dataset.store import DatasetStore
from ftstudio.core.validation.fixes import fix_duplicates

LINES = (
    b'{"messages": [{"role": "user", "content": "Hi"}]}\n'
    b'{"messages": [{"content": "Hi", "role": "user"}]}\n'  # same, keys reordered
    b"{not json\n"
    b"{not json\n"  # the same broken line twice: not an example yet
    b"\n"
    b'{"messages": [{"role": "user", "content": "Bye"}]}\n'
)


def _lines(store: DatasetStore) -> list[bytes]:
    return [store.raw(row) for row in range(len(store))]


def test_bulk_and_the_validator_keep_the_same_lines() -> None:
    by_bulk = DatasetStore.from_bytes(LINES)
    edit = delete_duplicates(by_bulk, range(len(by_bulk)))
    assert edit is not None
    edit.apply(by_bulk)
    by_fix = DatasetStore.from_bytes(LINES)
    fix = fix_duplicates(by_fix)
    assert fix is not None
    fix.apply(by_fix)
    assert _lines(by_bulk) == _lines(by_fix)
    assert _lines(by_bulk).count(b"{not json") == 2  # left for the user to repair
    assert len(by_bulk) == 5


def test_nothing_to_delete_is_no_edit() -> None:
    store = DatasetStore.from_bytes(b"{not json\n{not json\n")
    assert delete_duplicates(store, range(len(store))) is None
