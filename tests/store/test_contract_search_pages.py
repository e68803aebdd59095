"""More matches than a page: the newest come first, on every backend, whatever the filters."""

from __future__ import annotations

from bot.store.base import Store
from tests.store.test_contract_search import LINA, NOAH, found, youth


async def test_the_newest_matches_come_first_when_they_fill_more_than_a_page(store: Store) -> None:
    stenay = []
    for n in range(12):  # created out of order: the page follows creation time, not insertion
        at = 100.0 + (n * 7) % 12
        _, ticket = await youth(store, f"s{n}", {**LINA, "phone": None}, at=at)
        stenay.append((at, ticket))
    await youth(store, "v1", NOAH, at=200.0)  # newer, but does not match
    newest = [t for _, t in sorted(stenay, reverse=True)]
    assert await found(store, "stenay", status="all", limit=5) == newest[:5]
    assert await found(store, "stenay", status="open", limit=5) == newest[:5]
    assert await found(store, "lina stenay", status="all", limit=3) == newest[:3]
    assert await found(store, "stenay", status="all", since=105.0, limit=4) == newest[:4]
    assert await found(store, "stenay", status="all", until=105.0, limit=50) == newest[-5:]


async def test_a_page_of_closed_matches_is_newest_closed_first(store: Store) -> None:
    tickets = [(await youth(store, f"c{n}", LINA, at=10.0 + n))[1] for n in range(8)]
    for n, ticket in enumerate(tickets):
        assert await store.close_ticket(ticket, "registered", 50.0 - n, holder=None)
    assert await found(store, "stenay", status="closed", limit=3) == tickets[:3]
    assert await found(store, "stenay", status="waiting") == []
