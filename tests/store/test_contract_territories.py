"""Territories on every backend: structures, areas with one owner each, staff memberships."""

from __future__ import annotations

from bot.store.base import NewStaff, Store, Structure

NORD = Structure(
    "nord",
    "Mission locale du Nord meusien",
    "03 29 00 00 01",
    communes=("55502", "55545"),
    epcis=("CA du Grand Verdun",),
    seeded=True,
    updated_at=1.0,
)
SUD = Structure("sud", "Mission locale du Sud meusien", "", communes=("55029",), updated_at=1.0)


async def _staff(store: Store, email: str) -> int:
    made = await store.create_staff(NewStaff(email, "Camille Essai", "counsellor", None, "x"), 1.0)
    return made.id


async def test_a_structure_is_added_with_its_areas_and_read_back(store: Store) -> None:
    assert await store.list_structures() == []
    assert await store.add_structure(NORD) is True
    assert await store.get_structure("nord") == NORD
    assert await store.get_structure("ghost") is None
    assert await store.add_structure(SUD) is True
    assert [s.id for s in await store.list_structures()] == ["nord", "sud"]
    assert (await store.list_structures())[0].communes == ("55502", "55545")


async def test_adding_an_existing_id_changes_nothing(store: Store) -> None:
    await store.add_structure(NORD)
    other = Structure("nord", "Autre", "", communes=("55029",), updated_at=2.0)
    assert await store.add_structure(other) is False
    assert await store.get_structure("nord") == NORD


async def test_an_area_given_to_a_structure_leaves_its_former_owner(store: Store) -> None:
    await store.add_structure(NORD)
    await store.add_structure(SUD)
    moved = await store.assign_areas("sud", "commune", ["55502", "55001"], 5.0)
    assert moved is not None and moved.communes == ("55001", "55029", "55502")
    assert moved.seeded is False and moved.updated_at == 5.0
    nord = await store.get_structure("nord")
    assert nord is not None and nord.communes == ("55545",)
    assert nord.seeded is False  # the default was edited: no longer "to check"
    assert await store.assign_areas("ghost", "commune", ["55545"], 6.0) is None
    nord = await store.get_structure("nord")
    assert nord is not None and nord.communes == ("55545",)


async def test_epcis_and_communes_are_separate_kinds(store: Store) -> None:
    await store.add_structure(SUD)
    done = await store.assign_areas("sud", "epci", ["CA de Bar-le-Duc - Sud Meuse"], 3.0)
    assert done is not None and done.epcis == ("CA de Bar-le-Duc - Sud Meuse",)
    assert done.communes == ("55029",)


async def test_released_areas_serve_no_one_and_only_the_owner_releases(store: Store) -> None:
    await store.add_structure(NORD)
    await store.add_structure(SUD)
    not_its = await store.release_areas("sud", "commune", ["55545"], 4.0)
    assert not_its is not None and not_its.communes == ("55029",)
    nord = await store.get_structure("nord")
    assert nord is not None and nord.communes == ("55502", "55545")
    released = await store.release_areas("nord", "commune", ["55545"], 4.0)
    assert released is not None and released.communes == ("55502",)
    assert await store.release_areas("ghost", "commune", ["55502"], 4.0) is None


async def test_a_structure_is_renamed_and_removed_with_its_areas_and_members(
    store: Store,
) -> None:
    await store.add_structure(NORD)
    renamed = await store.update_structure("nord", "ML Nord", "03 29 99 99 99", 8.0)
    assert renamed is not None and (renamed.name, renamed.contact) == ("ML Nord", "03 29 99 99 99")
    assert renamed.communes == NORD.communes and renamed.seeded is False
    assert await store.update_structure("ghost", "X", "", 8.0) is None
    staff_id = await _staff(store, "camille@example.org")
    assert await store.set_membership(staff_id, "nord") is True
    assert await store.remove_structure("nord") is True
    assert await store.remove_structure("nord") is False
    assert await store.memberships() == {}
    await store.add_structure(SUD)
    sud = await store.get_structure("sud")
    assert sud is not None and "55502" not in sud.communes
    # Its former communes are free: given to another without trace of the old owner.
    again = await store.assign_areas("sud", "commune", ["55502"], 9.0)
    assert again is not None and again.communes == ("55029", "55502")


async def test_staff_belong_to_one_structure_at_a_time(store: Store) -> None:
    await store.add_structure(NORD)
    await store.add_structure(SUD)
    a = await _staff(store, "a@example.org")
    b = await _staff(store, "b@example.org")
    assert await store.set_membership(a, "nord") is True
    assert await store.set_membership(b, "nord") is True
    assert await store.set_membership(a, "sud") is True
    assert await store.memberships() == {a: "sud", b: "nord"}
    assert await store.set_membership(b, "ghost") is False
    assert await store.memberships() == {a: "sud", b: "nord"}
    assert await store.set_membership(b, None) is True
    assert await store.memberships() == {a: "sud"}
