"""Shared fixtures: real settings, a real SQLite file in a temporary folder, the real app."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import settings as hypothesis_settings

from bot.app import create_app
from bot.settings import Settings, load_settings
from tests.support.chat import ChatClient
from tests.support.resources import Resources
from tests.support.resources import of as resources_of

# In CI the property tests draw the same cases every run: a red CI is then always reproducible.
# Locally they explore new cases each run (and keep failures in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def make_settings(tmp_path: Path) -> Any:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": tmp_path / "data", "log_format": "console"}
        values.update(overrides)
        return load_settings(env_file=None, **values)

    return make


@pytest.fixture
def settings(make_settings: Any) -> Settings:
    return make_settings()


@pytest.fixture
async def client(aiohttp_client: Any, settings: Settings) -> TestClient:
    return await aiohttp_client(create_app(settings))


@pytest.fixture
def runtime(client: TestClient) -> Resources:
    return resources_of(client.app)


@pytest.fixture
async def chat(client: TestClient) -> AsyncIterator[ChatClient]:
    async with ChatClient.connect(client) as c:
        yield c


@pytest.fixture(scope="session")
def deps() -> Any:
    """The flow's real dependencies: the shipped catalogue, commune data and office hours."""
    from bot.flows.prompts import FlowDeps
    from bot.nlu.communes import CommuneIndex
    from bot.officehours import OfficeHours
    from bot.texts import Texts

    return FlowDeps(
        texts=Texts.load(),
        communes=CommuneIndex.load(),
        office=OfficeHours.parse(),
        privacy_url="https://example.org/confidentialite",
        mission_locale_contact="l'accueil de la Mission locale",
        mission_locale_finder_url="https://www.1jeune1solution.gouv.fr",
    )
