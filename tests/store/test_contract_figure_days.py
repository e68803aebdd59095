"""Conversations counted over whole days follow each trait's change, on every backend."""

from __future__ import annotations

from bot.store.base import ConversationGroup, Store, UnitOfWork
from tests.support.store import conversation

DAY = 86400.0
START = 20_000 * DAY + 3600.0  # an hour past a UTC midnight, as a local midnight can be
STENAY = {"commune": "Stenay", "territory": "CC du Pays de Stenay", "need": "job", "age": 19}


async def _started(store: Store, user: str, at: float, source: str | None = None) -> None:
    conv = await conversation(store, user, at=at)
    conv.source = source
    await store.commit(UnitOfWork(conversation=conv), at)


async def _answered(store: Store, user: str, at: float, **profile: object) -> None:
    conv = await store.find_conversation("web", user)
    assert conv is not None
    conv.profile = {**conv.profile, **profile}
    conv.consent_at = conv.consent_at or at
    await store.commit(UnitOfWork(conversation=conv), at)


def _key(g: ConversationGroup) -> tuple[object, ...]:
    return (g.source, g.commune, g.territory, g.need, g.age, g.consented, g.count)


async def test_whole_days_and_partial_ones_add_up_as_traits_change(store: Store) -> None:
    # Early on the first day, within whole days, and late on the last day of the period.
    await _started(store, "a", START + 600, "bq7k2m")
    await _started(store, "b", START + 3 * DAY, "bq7k2m")
    await _started(store, "c", START + 5 * DAY)
    await _started(store, "d", START + 9 * DAY + 80_000)
    await _started(store, "late", START + 10 * DAY + 60)  # after the period
    await _started(store, "early", START - 60)  # before it
    for user in ("a", "b", "d"):
        await _answered(store, user, START + 9 * DAY + 82_000, **STENAY)
    await _answered(store, "b", START + 9 * DAY + 83_000, age=20)  # a correction
    end = START + 10 * DAY

    groups = sorted(map(_key, await store.conversation_groups(START, end)), key=repr)
    stenay = ("Stenay", STENAY["territory"], "job")
    assert groups == sorted(
        [
            ("bq7k2m", *stenay, 19, True, 1),
            ("bq7k2m", *stenay, 20, True, 1),
            (None, *stenay, 19, True, 1),
            (None, None, None, None, None, False, 1),
        ],
        key=repr,
    )
    only = await store.conversation_groups(START, end, STENAY["territory"])
    assert sum(g.count for g in only) == 3
    # A day in the middle alone: only b.
    middle = await store.conversation_groups(START + 2 * DAY, START + 4 * DAY)
    assert [(g.source, g.age, g.count) for g in middle] == [("bq7k2m", 20, 1)]
