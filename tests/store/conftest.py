"""The `store` fixture: every contract test runs once per backend.

"mongo" runs when `tests/support/mongo.py` exists (its `mongo_store(tmp_path)` starts the
server and yields an opened store on a fresh database); until then it is skipped, saying so.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.base import Store
from bot.store.sqlite import SQLiteStore

BACKENDS = ["sqlite", "mongo"]


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        s = SQLiteStore(tmp_path)
        await s.open()
        try:
            yield s
        finally:
            await s.close()
        return
    try:
        support = importlib.import_module("tests.support.mongo")
    except ModuleNotFoundError as exc:
        if exc.name != "tests.support.mongo":
            raise  # the fixture exists but something it needs is missing: a real failure
        pytest.skip("MongoDB backend: tests/support/mongo.py (the nx-27017 fixture) is absent")
    async with support.mongo_store(tmp_path) as s:
        yield s
