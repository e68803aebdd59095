"""The figures through the real server: /api/stats, the chart page, the CSV export."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.support.chat import ChatClient
from tests.support.staff import fast_hashing, finish_intake, logged_in

__all__ = ["fast_hashing"]
pytestmark = pytest.mark.usefixtures("fast_hashing")

STENAY = {"label": "Boulangerie de Stenay", "kind": "shop", "commune": "Stenay"}


async def _youth_from(client: TestClient, code: str | None, name: str) -> None:
    async with ChatClient.connect(client, src=code) as chat:
        await finish_intake(chat, name)


async def test_youths_are_counted_under_their_source_in_the_stats(client: TestClient) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        _, made = await coord.post("/api/sources", STENAY)
        code = made["source"]["code"]
        await _youth_from(client, code, "Lina")
        await _youth_from(client, "affiche-inconnue", "Nour")
        status, stats = await coord.get("/api/stats")
    assert status == 200
    assert stats["breakdowns"]["source"] == {code: 1, "unknown": 1}
    assert stats["breakdowns"]["source_kind"] == {"shop": 1, "unknown": 1}
    assert stats["breakdowns"]["commune"] == {"Stenay": 2}
    funnel = stats["funnel"]
    assert (funnel["started"], funnel["consented"], funnel["intake_completed"]) == (2, 2, 2)
    assert (funnel["tickets"], funnel["claimed"]) == (2, 0)
    assert stats["goal"]["reached"] == 2 and stats["goal"]["goal"] == 300


async def test_the_page_draws_svg_charts_and_the_csv_holds_counts_only(
    client: TestClient,
) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        _, made = await coord.post("/api/sources", STENAY)
        await _youth_from(client, made["source"]["code"], "Lina")
        page = await coord.request("GET", "/handoff/figures")
        html = await page.text()
        csv = await coord.request("GET", "/handoff/figures.csv")
        rows = (await csv.text()).splitlines()
    assert page.status == 200
    assert '<g class="chart-row" data-label="Boulangerie de Stenay" data-count="1">' in html
    assert 'id="goal"' in html and " : 1 sur 300." in html
    assert html.count("<svg") >= 5 and "<script>" not in html
    assert csv.status == 200 and csv.content_type == "text/csv"
    assert rows[0] == "section,key,count" and "funnel,started,1" in rows
    assert "Lina" not in "\n".join(rows)


@pytest.mark.parametrize("query", ["from=2026-13-01", "from=2026-03-10&to=2026-03-01", "to=demain"])
async def test_a_bad_period_is_refused_with_the_reason(client: TestClient, query: str) -> None:
    async with logged_in(client, "coord@ml55.fr", "coordinator") as coord:
        status, body = await coord.get(f"/api/stats?{query}")
        page = await coord.request("GET", f"/handoff/figures?{query}")
    assert status == 422 and body["error"].startswith("Période invalide")
    assert page.status == 400


async def test_counsellors_see_no_figures(client: TestClient) -> None:
    async with logged_in(client, "conseil@ml55.fr") as counsellor:
        status, _ = await counsellor.get("/api/stats")
        page = await counsellor.request("GET", "/handoff/figures")
    assert status == 403 and page.status == 403


def test_the_yearly_goal_must_be_positive(make_settings: Any) -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="yearly_goal"):
        make_settings(yearly_goal=0)
