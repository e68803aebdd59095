"""The figures' queries on every backend, against counts worked out by hand."""

from __future__ import annotations

from typing import Any

from bot.store.base import ConversationGroup, Store, TicketDraft, UnitOfWork
from bot.store.records import CounsellorReplied
from tests.support.store import conversation, staff

STENAY = {"commune": "Stenay", "territory": "CC du Pays de Stenay et du Val Dunois"}
VERDUN = {"commune": "Verdun", "territory": "CA du Grand Verdun"}


async def _youth(
    store: Store,
    user: str,
    at: float,
    *,
    source: str | None = None,
    profile: dict[str, Any] | None = None,
    consent: bool = True,
    ticket: str | None = None,
) -> str | None:
    """A conversation started at `at`; with `ticket` (a reason), a ticket opened at at+10."""
    conv = await conversation(store, user, at=at)
    conv.source, conv.profile = source, dict(profile or {})
    conv.consent_at = at + 1 if consent else None
    draft = None
    if ticket is not None:
        conv.mode = "waiting"
        territory = conv.profile.get("territory")
        draft = TicketDraft("normal", ticket, {"age": conv.profile.get("age")}, territory)  # type: ignore[arg-type]
    result = await store.commit(UnitOfWork(conversation=conv, open_ticket=draft), at + 10)
    return result.ticket_id


async def test_conversations_are_counted_per_group_within_the_period(store: Store) -> None:
    lina = {**STENAY, "need": "job", "age": 19}
    await _youth(store, "a", 100.0, source="bq7k2m", profile=lina)
    await _youth(store, "b", 200.0, source="bq7k2m", profile=lina)
    await _youth(store, "c", 300.0, source="bq7k2m", profile=lina, consent=False)
    await _youth(store, "d", 400.0, profile={**VERDUN, "need": "training", "age": 24})
    await _youth(store, "e", 500.0)  # no profile yet
    await _youth(store, "late", 2000.0, source="bq7k2m", profile=lina)  # after the period
    await _youth(store, "early", 50.0, source="bq7k2m", profile=lina)  # before it

    groups = sorted(await store.conversation_groups(100.0, 1000.0), key=repr)
    assert groups == sorted(
        [
            ConversationGroup("web", "bq7k2m", "Stenay", STENAY["territory"], "job", 19, True, 2),
            ConversationGroup("web", "bq7k2m", "Stenay", STENAY["territory"], "job", 19, False, 1),
            ConversationGroup("web", None, "Verdun", VERDUN["territory"], "training", 24, True, 1),
            ConversationGroup("web", None, None, None, None, None, True, 1),
        ],
        key=repr,
    )
    verdun = await store.conversation_groups(100.0, 1000.0, VERDUN["territory"])
    assert [(g.commune, g.count) for g in verdun] == [("Verdun", 1)]
    assert await store.conversation_groups(3000.0, 4000.0) == []


async def test_ticket_facts_carry_every_step_and_stay_in_their_period(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    done = await _youth(store, "a", 100.0, source="bq7k2m", profile=STENAY, ticket="intake_done")
    asked = await _youth(store, "b", 200.0, profile=VERDUN, ticket="asked_human")
    await _youth(store, "c", 5000.0, profile=STENAY, ticket="intake_done")  # later
    assert done is not None and asked is not None
    assert await store.claim(done, anne.id, 170.0)
    conv = await store.find_conversation("web", "a")
    assert conv is not None
    await store.commit(
        UnitOfWork(conversation=conv, ticket_changes=[CounsellorReplied(230.0)]), 230.0
    )
    assert await store.close_ticket(done, "registered", 400.0, holder=anne.id)

    facts = await store.ticket_facts(0.0, 1000.0)
    assert [(f.reason, f.source, f.territory, f.created_at) for f in facts] == [
        ("intake_done", "bq7k2m", STENAY["territory"], 110.0),
        ("asked_human", None, VERDUN["territory"], 210.0),
    ]
    first = facts[0]
    assert (first.claimed_at, first.first_reply_at, first.closed_at) == (170.0, 230.0, 400.0)
    assert first.outcome == "registered" and first.channel == "web"
    assert (facts[1].claimed_at, facts[1].closed_at, facts[1].outcome) == (None, None, None)
    only = await store.ticket_facts(0.0, 1000.0, VERDUN["territory"])
    assert [f.reason for f in only] == ["asked_human"]
