"""Linking two conversations of the same youth from the ticket page's API."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.support.browser import seed_ticket
from tests.support.resources import of
from tests.support.staff import fast_hashing, logged_in

__all__ = ["fast_hashing"]


async def test_a_counsellor_confirms_a_candidate_sees_its_thread_and_undoes_the_link(
    client: TestClient, fast_hashing: None
) -> None:
    runtime = of(client.app)
    web = await seed_ticket(runtime, "Lina", said="bonjour", phone="+33612345678")
    telegram = await seed_ticket(
        runtime, "Lina", said="c'est encore moi", channel="telegram", phone="+33612345678"
    )
    by_mail = await seed_ticket(runtime, "Lina", email="lina.m@example.org", channel="messenger")
    await seed_ticket(runtime, "Yanis", phone="+33698765432")
    web_conv = (await runtime.store.get_ticket(web)).conversation_id  # type: ignore[union-attr]
    tg_conv = (await runtime.store.get_ticket(telegram)).conversation_id  # type: ignore[union-attr]
    async with logged_in(client, "anne@ml55.fr", name="Anne") as anne:
        status, view = await anne.get(f"/api/tickets/{web}/links")
        assert status == 200 and view["linked"] == []
        [candidate] = view["candidates"]  # same phone; never the e-mail-only or Yanis
        assert (candidate["conversation_id"], candidate["channel"], candidate["same"]) == (
            tg_conv,
            "telegram",
            ["phone"],
        )
        assert by_mail != candidate["ticket_id"]
        status, view = await anne.post(f"/api/tickets/{web}/links", {"conversation_id": tg_conv})
        assert status == 201 and view["candidates"] == []
        [linked] = view["linked"]
        assert linked["conversation_id"] == tg_conv and linked["ticket_id"] == telegram
        assert [line["text"] for line in linked["thread"]] == ["c'est encore moi"]
        # Seen from the other side too, and refused twice.
        assert (await anne.get(f"/api/tickets/{telegram}/links"))[1]["linked"][0][
            "conversation_id"
        ] == web_conv
        again = await anne.post(f"/api/tickets/{telegram}/links", {"conversation_id": web_conv})
        assert again[0] == 409
        assert (await anne.post(f"/api/tickets/{web}/links", {"conversation_id": "x" * 65}))[
            0
        ] == 422
        assert (await anne.post(f"/api/tickets/{web}/links", {"conversation_id": "nope"}))[0] == 404
        status, view = await anne.call(
            "DELETE", f"/api/tickets/{web}/links", {"conversation_id": tg_conv}
        )
        assert status == 200 and view["linked"] == [] and len(view["candidates"]) == 1
        gone = await anne.call("DELETE", f"/api/tickets/{web}/links", {"conversation_id": tg_conv})
        assert gone[0] == 409
        staff_id = anne.staff["id"]
    first = min(web_conv, tg_conv)
    trail = await runtime.store.audit_trail([f"conversation:{first}"])
    assert [(e.actor, e.action) for e in trail] == [
        (f"staff:{staff_id}", "conversations_linked"),
        (f"staff:{staff_id}", "conversations_unlinked"),
    ]
    assert all("Lina" not in str(e.details) for e in trail)
