"""Account administration, canned replies one by one and the audit log page on every backend."""

from __future__ import annotations

from bot.store.base import CannedReply, Session, Store
from bot.store.roles_settings import AuditQuery
from tests.support.store import staff


async def test_a_role_change_is_kept_and_an_unknown_account_is_none(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    changed = await store.set_staff_role(anne.id, "coordinator")
    assert changed is not None and changed.is_coordinator
    assert (await store.get_staff(anne.id)) == changed
    assert await store.set_staff_role(9999, "coordinator") is None


async def test_a_reset_token_works_once_before_it_expires_and_ends_every_session(
    store: Store,
) -> None:
    anne = await staff(store, "anne@ml.example")
    zoe = await staff(store, "zoe@ml.example")
    await store.create_session(Session("a1", anne.id, "c", 1.0, 1.0))
    await store.create_session(Session("z1", zoe.id, "c", 1.0, 1.0))
    await store.create_reset_token("old", anne.id, 1.0, 100.0)
    await store.create_reset_token("new", anne.id, 2.0, 100.0)  # drops the earlier unused one
    assert await store.reset_token_staff("old", 3.0) is None
    assert await store.reset_token_staff("new", 3.0) == anne.id
    assert await store.reset_token_staff("new", 100.0) is None  # expired
    assert await store.redeem_reset_token("new", "fresh-hash", 100.0) is None
    assert await store.redeem_reset_token("new", "fresh-hash", 4.0) == anne.id
    found = await store.find_login("anne@ml.example")
    assert found is not None and found[1] == "fresh-hash"
    assert await store.get_session("a1") is None
    assert await store.get_session("z1") is not None  # only that account's sessions end
    assert await store.redeem_reset_token("new", "again", 5.0) is None  # spent
    assert await store.reset_token_staff("new", 5.0) is None


async def test_a_disabled_account_cannot_use_its_reset_token(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    await store.create_reset_token("t", anne.id, 1.0, 100.0)
    await store.disable_staff(anne.id, 2.0)
    assert await store.reset_token_staff("t", 3.0) is None
    assert await store.redeem_reset_token("t", "h", 3.0) is None
    found = await store.find_login("anne@ml.example")
    assert found is not None and found[1] == "hash"


async def test_changing_a_password_keeps_only_the_current_session(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    for key in ("s1", "s2", "s3"):
        await store.create_session(Session(key, anne.id, "c", 1.0, 1.0))
    await store.change_password(anne.id, "h2", "s2")
    assert [await store.get_session(k) is not None for k in ("s1", "s2", "s3")] == [
        False,
        True,
        False,
    ]
    found = await store.find_login("anne@ml.example")
    assert found is not None and found[1] == "h2"
    await store.change_password(anne.id, "h3", None)
    assert await store.get_session("s2") is None


async def test_canned_replies_are_added_edited_moved_and_deleted_by_id(store: Store) -> None:
    assert await store.canned_items() == []
    a = await store.add_canned("Bonjour", "Bonjour, je suis là.")
    b = await store.add_canned("Rendez-vous", "On se voit mardi ?")
    c = await store.add_canned("Merci", "Merci à toi.")
    assert [(i.title, i.position) for i in await store.canned_items()] == [
        ("Bonjour", 0),
        ("Rendez-vous", 1),
        ("Merci", 2),
    ]
    assert len({a.id, b.id, c.id}) == 3 and c.position == 2
    edited = await store.edit_canned(b.id, "RDV", "On se voit jeudi ?")
    assert edited is not None and (edited.title, edited.text, edited.position) == (
        "RDV",
        "On se voit jeudi ?",
        1,
    )
    moved = await store.move_canned(c.id, 0)
    assert moved is not None and moved.position == 0
    assert [i.id for i in await store.canned_items()] == [c.id, a.id, b.id]
    last = await store.move_canned(c.id, 99)  # clamped to the end
    assert last is not None and last.position == 2
    assert await store.delete_canned(a.id)
    assert not await store.delete_canned(a.id)
    assert [(i.id, i.position) for i in await store.canned_items()] == [(b.id, 0), (c.id, 1)]
    assert await store.edit_canned(a.id, "x", "y") is None
    assert await store.move_canned(a.id, 0) is None
    # The older whole-list view reads the same replies in the same order.
    assert await store.canned_replies() == [
        CannedReply("RDV", "On se voit jeudi ?"),
        CannedReply("Merci", "Merci à toi."),
    ]


async def test_replies_replaced_as_a_whole_get_ids_and_can_then_be_moved(store: Store) -> None:
    await store.replace_canned_replies([CannedReply("A", "un"), CannedReply("B", "deux")])
    items = await store.canned_items()
    assert [i.title for i in items] == ["A", "B"] and all(i.id for i in items)
    assert [i.id for i in await store.canned_items()] == [i.id for i in items]  # stable
    await store.move_canned(items[1].id, 0)
    added = await store.add_canned("C", "trois")
    assert added.position == 2
    assert [r.title for r in await store.canned_replies()] == ["B", "A", "C"]


async def test_the_audit_log_is_filtered_newest_first_and_paged(store: Store) -> None:
    lines = [
        ("staff:1", "staff_created", 10.0),
        ("staff:2", "ticket_claimed", 20.0),
        ("staff:1", "ticket_claimed", 30.0),
        ("cli", "staff_disabled", 40.0),
        ("staff:1", "canned_reply_created", 50.0),
    ]
    for actor, action, at in lines:
        await store.audit(actor, action, "staff:7", {"n": 1}, at)
    every = await store.audit_log(AuditQuery())
    assert [e.at for e in every] == [50.0, 40.0, 30.0, 20.0, 10.0]
    assert every[0].details == {"n": 1} and every[0].target == "staff:7"
    mine = await store.audit_log(AuditQuery(actor="staff:1"))
    assert [e.action for e in mine] == ["canned_reply_created", "ticket_claimed", "staff_created"]
    claims = await store.audit_log(AuditQuery(action="ticket_claimed", actor="staff:1"))
    assert [e.at for e in claims] == [30.0]
    period = await store.audit_log(AuditQuery(since=20.0, until=40.0))
    assert [e.at for e in period] == [30.0, 20.0]
    first_page = await store.audit_log(AuditQuery(limit=2))
    second_page = await store.audit_log(AuditQuery(limit=2, before_id=first_page[-1].id))
    assert [e.at for e in first_page + second_page] == [50.0, 40.0, 30.0, 20.0]
    assert await store.audit_log(AuditQuery(actor="nobody")) == []
    assert await store.audit_actions() == [
        "canned_reply_created",
        "staff_created",
        "staff_disabled",
        "ticket_claimed",
    ]
