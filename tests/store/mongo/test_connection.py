"""Start-up against MongoDB: unreachable or standalone servers stop it with a clear message."""

from __future__ import annotations

import gc
import os

import pytest

from bot.settings import load_settings
from bot.store.errors import StoreUnavailable
from bot.store.factory import build_store
from bot.store.mongo import MongoStore
from tests.support.mongo import REAL_URL_ENV, drop_database, fresh_database_url
from tests.support.server import free_port


# The driver leaves a refused socket to the garbage collector: collected here, not in a later test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_unreachable_server_is_refused_with_a_message_without_the_password() -> None:
    url = f"mongodb://milo:hunter2-secret@127.0.0.1:{free_port()}/milomouv?directConnection=true"
    store = build_store(load_settings(env_file=None, MILOMOUV_STORE_URL=url))
    with pytest.raises(StoreUnavailable) as caught:
        await store.open()
    message = str(caught.value)
    assert "no MongoDB server answered" in message and "127.0.0.1" in message
    assert "hunter2" not in message and "hunter2" not in store.location
    assert not await store.ping()
    gc.collect()


@pytest.mark.skipif(bool(os.environ.get(REAL_URL_ENV)), reason="the real server is a replica set")
async def test_standalone_server_is_refused_unless_allowed() -> None:
    url, standalone = fresh_database_url()
    assert standalone
    with pytest.raises(StoreUnavailable, match="needs a replica set") as caught:
        await MongoStore(url).open()
    assert "MILOMOUV_MONGODB_ALLOW_STANDALONE" in str(caught.value)

    allowed = MongoStore(url, allow_standalone=True)
    await allowed.open()
    try:
        assert await allowed.ping()
    finally:
        await allowed.close()
        await drop_database(url)


async def test_factory_builds_the_mongo_store_with_the_allowance() -> None:
    url, standalone = fresh_database_url()
    settings = load_settings(
        env_file=None,
        MILOMOUV_STORE_URL=url,
        MILOMOUV_MONGODB_ALLOW_STANDALONE=standalone,
    )
    store = build_store(settings)
    assert isinstance(store, MongoStore)
    await store.open()
    try:
        indexes = await store.connection.db["inbox"].index_information()
        unique = [i for i in indexes.values() if i.get("unique")]
        assert [k for k, _ in unique[0]["key"]] == ["channel", "event_id"]
    finally:
        await store.close()
        await drop_database(url)
