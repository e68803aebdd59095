"""Finding tickets by words and filters, on every backend, and nothing left once erased."""

from __future__ import annotations

from typing import Any

from bot.events import Reply
from bot.store.base import Store, ThreadEntry, TicketDraft, TicketQuery, UnitOfWork
from bot.store.roles_search import search_terms
from tests.support.store import conversation, staff

# Invented personas only.
LINA = {
    "first_name": "Lina",
    "phone": "+33612345678",
    "email": "lina.testeuse@example.org",
    "commune": "Stenay",
    "need": "job",
}
NOAH = {"first_name": "Noah", "commune": "Verdun", "need": "training", "email": "noah@example.org"}


async def youth(
    store: Store,
    user: str,
    card: dict[str, Any],
    lines: list[tuple[str, str]] = (),  # type: ignore[assignment]
    *,
    at: float = 10.0,
    priority: str = "normal",
    territory: str | None = None,
) -> tuple[str, str]:
    """A youth whose intake wrote `lines` (author, text) and opened a ticket with `card`."""
    conv = await conversation(store, user, at=at - 1)
    conv.mode, conv.profile = "waiting", dict(card)
    result = await store.commit(
        UnitOfWork(
            conversation=conv,
            thread=[
                ThreadEntry("in" if a == "youth" else "out", a, text)  # type: ignore[arg-type]
                for a, text in lines
            ],
            open_ticket=TicketDraft(priority, "intake_done", dict(card), territory),  # type: ignore[arg-type]
            replies=[Reply("Merci")],
        ),
        at,
    )
    assert result.ticket_id is not None
    return conv.id, result.ticket_id


async def found(store: Store, text: str = "", **filters: Any) -> list[str]:
    return [q.ticket.id for q in await store.find_tickets(TicketQuery(text, **filters))]


def test_query_words_are_folded_and_phones_become_international_digits() -> None:
    assert search_terms("  Sténay, LINA! ") == ["stenay", "lina"]
    assert search_terms("06 12 34 56 78") == ["33612345678"]
    assert search_terms("+33 6 12 34 56 78") == ["33612345678"]
    assert search_terms("lina.testeuse@example.org") == ["lina", "testeuse", "example", "org"]
    assert search_terms("?!") == []
    assert len(search_terms(" ".join(f"mot{n}" for n in range(20)))) == 8


async def test_finds_by_card_fields_accents_and_case_ignored(store: Store) -> None:
    _, lina = await youth(store, "u1", {**LINA, "commune": "Sténay"})
    _, noah = await youth(store, "u2", NOAH)
    assert await found(store, "stenay") == [lina]
    assert await found(store, "LINA") == [lina]
    assert await found(store, "06 12 34 56 78") == [lina]
    assert await found(store, "noah@example.org") == [noah]
    assert await found(store, "verdun") == [noah]
    assert await found(store, "Montmédy") == []
    assert await found(store, "?!") == []


async def test_finds_by_what_youth_and_counsellor_wrote_not_the_bots_lines(store: Store) -> None:
    lines = [("bot", "Dans quelle commune habites-tu ?"), ("youth", "j'habite à Dun-sur-Meuse")]
    _, lina = await youth(store, "u1", {"first_name": "Lina"}, lines)
    _, noah = await youth(store, "u2", NOAH, [("counsellor", "RDV au garage solidaire")])
    assert await found(store, "dun sur meuse") == [lina]
    assert await found(store, "garage") == [noah]
    assert await found(store, "habites") == []  # only the bot wrote it


async def test_every_word_must_be_in_one_document(store: Store) -> None:
    _, lina = await youth(store, "u1", LINA, [("youth", "je cherche un CAP boulangerie")])
    assert await found(store, "cap boulangerie") == [lina]
    assert await found(store, "boulangerie verdun") == []


async def test_finds_by_staff_notes_and_forgets_them_with_the_erasure(store: Store) -> None:
    conv_id, lina = await youth(store, "u1", LINA, [("youth", "mon CV est prêt")])
    anne = await staff(store, "anne@ml.example")
    await store.add_note(lina, anne.id, "orientée vers la plateforme mobilité", 11.0)
    assert await found(store, "mobilite", status="all") == [lina]
    await store.erase_conversation(conv_id, 12.0, actor="staff:1", action="erase")
    for words in ("mobilite", "cv", "stenay", "lina", "06 12 34 56 78", "testeuse"):
        assert await found(store, words, status="all") == [], words
    assert len(await found(store, status="all")) == 1  # the anonymous ticket stays listed


async def test_filters_combine_with_words(store: Store) -> None:
    _, a = await youth(store, "u1", LINA, at=10.0, priority="urgent", territory="Stenay")
    _, b = await youth(store, "u2", {**NOAH, "commune": "Stenay"}, at=20.0, territory="Verdun")
    _, c = await youth(store, "u3", {**NOAH, "first_name": "Inès"}, at=30.0, territory="Verdun")
    assert await found(store, "stenay", status="waiting") == [a, b]  # urgent first, then oldest
    assert await found(store, "stenay") == [b, a]  # any other list: newest first
    assert await found(store, territory="Verdun") == [c, b]
    assert await found(store, need="training", status="all") == [c, b]
    assert await found(store, urgent=True) == [a]
    assert await found(store, urgent=False, status="all") == [c, b]
    assert await found(store, channel="web", since=20.0, until=30.0) == [b]
    assert await found(store, channel="messenger") == []
    assert await found(store, "stenay", status="open", since=15.0) == [b]


async def test_status_filters_waiting_mine_open_closed(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    bob = await staff(store, "bob@ml.example")
    _, a = await youth(store, "u1", LINA, at=10.0)
    _, b = await youth(store, "u2", NOAH, at=20.0)
    _, c = await youth(store, "u3", NOAH, at=30.0)
    _, d = await youth(store, "u4", NOAH, at=40.0)
    assert await store.claim(b, anne.id, 41.0)
    assert await store.claim(c, bob.id, 42.0)
    assert await store.close_ticket(d, "registered", 43.0, holder=None)
    assert await found(store, status="waiting") == [a]
    assert await found(store, status="mine", staff_id=anne.id) == [b]
    assert await found(store, status="mine", staff_id=None) == []
    assert await found(store, status="open") == [c, b, a]
    assert await found(store, status="closed") == [d]
    assert await found(store, status="all") == [d, c, b, a]
    assert await found(store, status="all", limit=2) == [d, c]
