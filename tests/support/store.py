"""Small builders for the store contract tests: invented youths, tickets and staff."""

from __future__ import annotations

import itertools

from bot.events import InboundEvent, Reply
from bot.store.base import Conversation, NewStaff, Staff, Store, TicketDraft, UnitOfWork

_event_numbers = itertools.count(10_000)  # above the numbers tests pick themselves


def event(n: int, user: str = "u1", channel: str = "web", text: str = "salut") -> InboundEvent:
    return InboundEvent(channel, user, f"e{n}", "text", text=text)


async def conversation(
    store: Store, user: str = "u1", n: int | None = None, at: float = 1.0
) -> Conversation:
    """A fresh conversation for `user`, its first event already processed."""
    saved = await store.ingest(event(next(_event_numbers) if n is None else n, user=user), at)
    assert saved is not None
    conv = await store.get_conversation(saved[0])
    assert conv is not None
    await store.commit(UnitOfWork(conversation=conv, inbox_id=saved[1]), at)
    return conv


async def with_ticket(
    store: Store,
    user: str = "u1",
    *,
    priority: str = "normal",
    territory: str | None = None,
    at: float = 2.0,
    first_name: str = "Lina",
) -> tuple[Conversation, str]:
    """A conversation that finished its intake: mode waiting, a waiting ticket."""
    conv = await conversation(store, user, n=next(_event_numbers), at=at - 1)
    conv.mode, conv.profile = "waiting", {"first_name": first_name}
    result = await store.commit(
        UnitOfWork(
            conversation=conv,
            open_ticket=TicketDraft(priority, "intake_done", {"first_name": first_name}, territory),  # type: ignore[arg-type]
            replies=[Reply(f"Merci {first_name}")],
        ),
        at,
    )
    assert result.ticket_id is not None
    return conv, result.ticket_id


async def staff(
    store: Store, email: str, *, role: str = "counsellor", territory: str | None = None
) -> Staff:
    return await store.create_staff(
        NewStaff(email, email.split("@")[0].title(), role, territory, "hash"),  # type: ignore[arg-type]
        1.0,
    )
