"""The named export: first names only on a coordinator's explicit request, recorded in the audit."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from bot.store.roles_settings import AuditQuery
from tests.support.chat import ChatClient
from tests.support.resources import of
from tests.support.staff import StaffClient, fast_hashing, finish_intake, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

PATH = "/handoff/figures/named.csv"


async def _post(client: TestClient, who: StaffClient, **fields: str) -> tuple[int, str]:
    form = {"csrf": who.csrf or "", **fields}
    resp = await who.session.post(client.make_url(PATH), data=form, allow_redirects=False)
    return resp.status, await resp.text()


async def test_the_named_export_lists_first_names_and_is_audited(client: TestClient) -> None:
    for name in ("Lina", "Nour"):
        async with ChatClient.connect(client) as chat:
            await finish_intake(chat, name)
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        page = await (await coord.request("GET", "/handoff/figures")).text()
        status, body = await _post(client, coord, reason="bilan financeur", confirm="yes")
    assert 'id="named-export"' in page and 'name="confirm"' in page
    assert status == 200, body
    rows = body.splitlines()
    assert rows[0] == "date,prénom,âge,commune,besoin,canal,source,statut,issue"
    assert sorted(r.split(",")[1] for r in rows[1:]) == ["Lina", "Nour"]
    exports = AuditQuery(action="figures_named_export")
    [entry] = await of(client.app).store.audit_log(exports)
    assert entry.actor == f"staff:{coord.staff['id']}" and entry.details == {"lines": 2}
    assert entry.target is not None and entry.target.startswith("period:")
    assert "Lina" not in repr(entry)  # the audit says how many, never who


@pytest.mark.parametrize(
    "fields",
    [{"reason": "bilan"}, {"confirm": "yes"}, {"reason": "  ", "confirm": "yes"}],
)
async def test_without_a_reason_and_a_confirmation_nothing_is_exported(
    client: TestClient, fields: dict[str, str]
) -> None:
    async with ChatClient.connect(client) as chat:
        await finish_intake(chat, "Lina")
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await _post(client, coord, **fields)
        exports = await of(client.app).store.audit_log(AuditQuery(action="figures_named_export"))
    assert status == 400 and "Lina" not in body and "motif" in body
    assert exports == []


async def test_a_counsellor_or_a_forged_request_gets_nothing(client: TestClient) -> None:
    async with ChatClient.connect(client) as chat:
        await finish_intake(chat, "Lina")
    async with logged_in(client, "conseil@ml55.fr") as counsellor:
        status, body = await _post(client, counsellor, reason="x", confirm="yes")
        assert status == 403 and "Lina" not in body
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        coord.csrf = "forged"
        status, body = await _post(client, coord, reason="x", confirm="yes")
    assert status == 403 and "Lina" not in body
