"""Sources on every backend: unique codes, newest first, archived but kept."""

from __future__ import annotations

from bot.store.base import NewSource, Store


def _new(code: str, label: str = "Boulangerie de Stenay", kind: str = "shop") -> NewSource:
    return NewSource(code, label, kind, "Stenay", None)


async def test_a_source_is_created_and_read_back_by_its_code(store: Store) -> None:
    made = await store.create_source(
        NewSource("bq7k2m", "Mairie de Dun", "local_council", "Dun-sur-Meuse", "M. Invent"), 5.0
    )
    assert made is not None and made.archived is False and made.created_at == 5.0
    assert await store.get_source("bq7k2m") == made
    assert made.contact == "M. Invent" and made.kind == "local_council"
    assert await store.get_source("nope42") is None


async def test_a_taken_code_is_refused_and_the_first_source_kept(store: Store) -> None:
    assert await store.create_source(_new("aaaa22"), 1.0) is not None
    assert await store.create_source(_new("aaaa22", label="Autre"), 2.0) is None
    kept = await store.get_source("aaaa22")
    assert kept is not None and kept.label == "Boulangerie de Stenay"


async def test_sources_are_listed_newest_first_and_archiving_hides_them_from_active(
    store: Store,
) -> None:
    await store.create_source(_new("old111", "Club de foot"), 1.0)
    await store.create_source(_new("new222", "Pharmacie"), 2.0)
    assert [s.code for s in await store.list_sources()] == ["new222", "old111"]
    archived = await store.set_source_archived("old111", True)
    assert archived is not None and archived.archived is True
    assert [s.code for s in await store.list_sources(archived=False)] == ["new222"]
    assert [s.code for s in await store.list_sources()] == ["new222", "old111"]
    restored = await store.set_source_archived("old111", False)
    assert restored is not None and restored.archived is False
    assert await store.set_source_archived("ghost9", True) is None
