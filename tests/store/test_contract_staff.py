"""Staff accounts, first-start token, sessions and login throttling on every backend."""

from __future__ import annotations

import pytest

from bot.store.base import DuplicateEmail, NewStaff, Session, Store
from tests.support.store import staff, with_ticket


async def test_accounts_are_unique_by_email_whatever_the_case(store: Store) -> None:
    assert await store.count_staff() == 0
    anne = await staff(store, "Anne@ML.example", territory="Verdun")
    assert anne.email == "anne@ml.example" and anne.active
    with pytest.raises(DuplicateEmail):
        await staff(store, "ANNE@ml.example")
    found = await store.find_login("anne@ML.EXAMPLE")
    assert found is not None and found[0] == anne and found[1] == "hash"
    assert await store.get_staff(anne.id) == anne
    await store.set_password_hash(anne.id, "new-hash")
    found = await store.find_login("anne@ml.example")
    assert found is not None and found[1] == "new-hash"
    assert await store.count_staff() == 1


async def test_disabling_an_account_ends_its_sessions_and_requeues_its_tickets(
    store: Store,
) -> None:
    anne = await staff(store, "anne@ml.example")
    zoe = await staff(store, "zoe@ml.example")
    conv, ticket_id = await with_ticket(store)
    assert await store.claim(ticket_id, anne.id, 3.0)
    await store.create_session(Session("h1", anne.id, "csrf", 3.0, 3.0))
    assert await store.disable_staff(anne.id, 4.0) == [ticket_id]
    assert await store.get_session("h1") is None
    ticket = await store.get_ticket(ticket_id)
    assert ticket is not None and (ticket.status, ticket.assigned_to) == ("waiting", None)
    fresh = await store.get_conversation(conv.id)
    assert fresh is not None and fresh.mode == "waiting"
    listed = await store.list_staff()
    assert [s.id for s in listed] == [zoe.id, anne.id]  # active first
    assert listed[1].active is False


async def test_the_first_start_token_makes_one_account_once(store: Store) -> None:
    await store.replace_setup_token("t1", 1.0, 100.0)
    await store.replace_setup_token("t2", 2.0, 100.0)  # the earlier unused one is dropped
    assert not await store.setup_token_valid("t1", 3.0)
    assert await store.setup_token_valid("t2", 3.0)
    assert not await store.setup_token_valid("t2", 100.0)  # expired
    new = NewStaff("coord@ml.example", "Coord", "coordinator", None, "hash")
    made = await store.redeem_setup_token("t2", new, 4.0)
    assert made is not None and made.is_coordinator
    assert await store.redeem_setup_token("t2", new, 5.0) is None
    assert not await store.setup_token_valid("t2", 5.0)


async def test_sessions_live_until_idle_and_failures_are_counted_per_key(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    await store.create_session(Session("s1", anne.id, "c1", 1.0, 1.0))
    await store.create_session(Session("s2", anne.id, "c2", 1.0, 1.0))
    await store.touch_session("s2", 50.0)
    got = await store.get_session("s2")
    assert got is not None and got.last_seen_at == 50.0 and got.csrf_token == "c2"
    await store.record_failure(["ip:1", "email:anne"], 10.0)
    await store.record_failure(["ip:1"], 20.0)
    assert await store.recent_failures(["ip:1", "email:anne", "ip:2"], 5.0) == {
        "ip:1": [10.0, 20.0],
        "email:anne": [10.0],
        "ip:2": [],
    }
    await store.purge(sessions_before=40.0, failures_before=15.0)
    assert await store.get_session("s1") is None and await store.get_session("s2") is not None
    assert await store.recent_failures(["ip:1"], 0.0) == {"ip:1": [20.0]}
    await store.clear_failures("ip:1")
    assert await store.recent_failures(["ip:1"], 0.0) == {"ip:1": []}
    await store.delete_session("s2")
    assert await store.get_session("s2") is None
