"""MILOMOUV_STORE_URL picks the backend; nothing else in the code names one."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings
from bot.store.factory import build_store, parse_store_url, store_url
from bot.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]


def test_urls_name_their_backend() -> None:
    for url in ("sqlite:///var/lib/milomouv/db.sqlite3", "sqlite:////var/lib/milomouv/db.sqlite3"):
        assert parse_store_url(url) == ("sqlite", "/var/lib/milomouv/db.sqlite3")
    assert parse_store_url("mongodb://db1,db2/milomouv?replicaSet=rs0")[0] == "mongodb"
    assert parse_store_url("mongodb+srv://cluster.example/milomouv")[0] == "mongodb"
    for bad in ("postgres://x/y", "sqlite:///", "sqlite:///var/lib/", "memory"):
        with pytest.raises(ValueError):
            parse_store_url(bad)


def test_a_bad_url_stops_the_start_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MILOMOUV_STORE_URL"):
        load_settings(None, MILOMOUV_STORE_URL="redis://localhost")


async def test_unset_means_sqlite_in_the_data_folder(make_settings: Any, tmp_path: Path) -> None:
    settings = make_settings()
    assert store_url(settings) == f"sqlite://{(tmp_path / 'data' / 'milomouv.sqlite3').resolve()}"
    store = build_store(settings)
    assert isinstance(store, SQLiteStore)
    assert store.path == (tmp_path / "data" / "milomouv.sqlite3").resolve()


async def test_a_sqlite_url_puts_the_file_where_it_says(make_settings: Any, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "bot.db"
    store = build_store(make_settings(store_url=f"sqlite:///{target}"))
    await store.open()
    try:
        assert target.exists() and (tmp_path / "elsewhere" / "bot.db.lock").exists()
    finally:
        await store.close()


def test_only_the_factory_names_a_backend() -> None:
    found = subprocess.run(
        ["grep", "-rlE", r"SQLiteStore|bot\.store\.sqlite|bot\.store\.mongo", "bot", "handoff"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    outside = [f for f in found if not f.startswith(("bot/store/sqlite/", "bot/store/mongo/"))]
    assert outside == ["bot/store/factory.py"]
