"""The search contract again on SQLite with every word taken as broad: the ticket list drives.

At scale, words matching thousands of documents are tested ticket by ticket in the page's
order (`bot/store/sqlite/search_broad.py`); here the threshold is 1 and chunks start at 2
tickets, so the same contract proves that path gives the same answers as the match list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.sqlite import SQLiteStore
from tests.store.test_contract_search import *  # noqa: F403 (the same tests, this fixture)
from tests.store.test_contract_search_pages import *  # noqa: F403


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    s = SQLiteStore(tmp_path)
    s.broad_matches, s.broad_matches_short_lists, s.broad_chunk = 1, 1, 2
    await s.open()
    try:
        yield s
    finally:
        await s.close()
