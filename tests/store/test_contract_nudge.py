"""Stalled intakes and the flow's scratch on every backend."""

from __future__ import annotations

import dataclasses

from bot.store.base import Store, UnitOfWork
from tests.support.store import conversation, event, with_ticket

STATES = ("ask_age", "ask_commune", "summary")


async def _stalled(store: Store, user: str, *, state: str = "ask_age", at: float = 10.0) -> str:
    """A consented youth who stopped at `state` after writing at `at`."""
    conv = await conversation(store, user)
    conv.state, conv.consent_at, conv.last_inbound_at = state, 1.0, at
    conv.profile = {"first_name": "Lina"}
    await store.commit(UnitOfWork(conversation=conv), at)
    return conv.id


async def _ids(store: Store, idle_before: float = 100.0, limit: int = 100) -> list[str]:
    return [c.id for c in await store.stalled_conversations(STATES, idle_before, limit)]


async def test_stalled_intakes_are_found_oldest_first(store: Store) -> None:
    late = await _stalled(store, "u1", at=50.0)
    early = await _stalled(store, "u2", state="summary", at=20.0)
    assert await _ids(store) == [early, late]
    assert await _ids(store, limit=1) == [early]
    assert await _ids(store, idle_before=30.0) == [early]  # u1 wrote too recently
    assert await store.stalled_conversations([], 100.0) == []
    found = (await store.stalled_conversations(STATES, 100.0))[0]
    assert found.profile == {"first_name": "Lina"} and found.last_inbound_at == 20.0


async def test_what_is_not_a_stalled_intake_is_left_out(store: Store) -> None:
    await _stalled(store, "other_state", state="done")
    paused = await _stalled(store, "paused")
    no_consent = await _stalled(store, "no_consent")
    for conv_id, change in ((paused, {"mode": "paused"}), (no_consent, {"consent_at": None})):
        conv = await store.get_conversation(conv_id)
        assert conv is not None
        await store.commit(UnitOfWork(conversation=dataclasses.replace(conv, **change)), 11.0)
    waiting, _ = await with_ticket(store, "handed_over")
    held = await store.get_conversation(waiting.id)
    assert held is not None
    held.state, held.consent_at, held.last_inbound_at = "ask_age", 1.0, 10.0
    await store.commit(UnitOfWork(conversation=held), 11.0)  # mode stays "waiting"
    erased = await _stalled(store, "erased")
    await store.erase_conversation(erased, 12.0, actor="youth", action="erased_by_youth")
    assert await _ids(store) == []


async def test_a_nudged_or_answering_youth_is_not_stalled(store: Store) -> None:
    nudged = await _stalled(store, "u1")
    await _stalled(store, "u2")
    conv = await store.get_conversation(nudged)
    assert conv is not None
    conv.scratch = {**conv.scratch, "nudged_at": 60.0}
    await store.commit(UnitOfWork(conversation=conv), 60.0)
    assert await store.ingest(event(99_001, user="u2", text="pardon, j'étais occupé"), 61.0)
    assert await _ids(store) == []
    refreshed = await store.get_conversation(nudged)
    assert refreshed is not None and refreshed.scratch["nudged_at"] == 60.0


async def test_an_older_profile_with_working_values_reads_them_as_scratch(store: Store) -> None:
    conv = await conversation(store)
    # Stored the way older versions did: the flow's working values inside the profile.
    conv.profile = {"first_name": "Lina", "_return_to": "ask_age", "_postcode": ["55502"]}
    await store.commit(UnitOfWork(conversation=conv), 2.0)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None
    assert fresh.profile == {"first_name": "Lina"}
    assert fresh.scratch == {"return_to": "ask_age", "postcode": ["55502"]}
