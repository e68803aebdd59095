"""MILOMOUV_EVENT_LOOP picks the loop the service runs on; a bad value stops start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import asyncio, sys
from bot import event_loop
chosen = event_loop.install(sys.argv[1])
loop = asyncio.new_event_loop()
print(chosen, type(loop).__module__)
loop.close()
"""


def _probe(setting: str, *flags: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, *flags, "-c", PROBE, setting],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    return run.stdout.strip() or run.stderr.strip().splitlines()[-1]


def test_each_setting_runs_the_loop_it_names() -> None:
    assert _probe("uvloop") == "uvloop uvloop"
    assert _probe("auto") == "uvloop uvloop"
    assert _probe("asyncio").startswith("asyncio asyncio.")


def test_without_uvloop_auto_falls_back_and_uvloop_is_refused() -> None:
    # -S leaves site-packages (so uvloop) off the path; the module needs only the standard library.
    assert _probe("auto", "-S").startswith("asyncio asyncio.")
    refused = _probe("uvloop", "-S")
    assert "ConfigError" in refused and "MILOMOUV_EVENT_LOOP" in refused


def test_bad_value_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="MILOMOUV_EVENT_LOOP"):
        load_settings(env_file=None, MILOMOUV_EVENT_LOOP="trio")


def test_bad_value_stops_start_up(tmp_path: Path) -> None:
    env = {**os.environ, "MILOMOUV_EVENT_LOOP": "tokio", "MILOMOUV_DATA_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert run.returncode == 2
    assert "cannot start" in run.stderr and "MILOMOUV_EVENT_LOOP" in run.stderr
