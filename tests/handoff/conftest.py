"""What the dashboard's Chromium tests share: the live service, the browser, cheap hashing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.settings import Settings
from handoff import auth
from tests.support.browser import LiveServer, chromium, live_server
from tests.support.staff import FAST_HASHER


@pytest.fixture(autouse=True)
def _cheap_hashing_in_browser_tests(request: pytest.FixtureRequest) -> None:
    """Passwords typed in the browser are hashed cheaply: the tests are about the pages."""
    if request.node.get_closest_marker("browser") is not None:
        monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
        monkeypatch.setattr(auth, "HASHER", FAST_HASHER)


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    """The whole service on 127.0.0.1 (a module may define its own, e.g. with a clock)."""
    async with live_server(settings) as running:
        yield running


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with chromium() as running:
        yield running
        assert running.errors == []  # no script error, nothing refused by the CSP
