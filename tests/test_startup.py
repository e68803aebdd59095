"""`python main.py` as an operator runs it: start-up log, health, clean stop, refusals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("MILOMOUV_", "META_", "TELEGRAM_"))
    }
    env.update(
        MILOMOUV_DATA_DIR=str(tmp_path / "data"),
        MILOMOUV_PORT=str(free_port()),
        MILOMOUV_LOG_FORMAT="json",
    )
    env.update(extra)
    return env


def start(tmp_path: Path, **extra: str) -> tuple[subprocess.Popen[str], str]:
    env = env_for(tmp_path, **extra)
    proc = subprocess.Popen(
        [sys.executable, "main.py"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, f"http://127.0.0.1:{env['MILOMOUV_PORT']}"


def run_to_end(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = env_for(tmp_path, **extra)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def wait_healthy(url: str, proc: subprocess.Popen[str]) -> dict[str, object]:
    import json

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as resp:
                return dict(json.loads(resp.read()))
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not become healthy")


def test_serves_says_where_data_lives_and_stops_cleanly(tmp_path: Path) -> None:
    (tmp_path / "main.py").symlink_to(ROOT / "main.py")
    proc, url = start(tmp_path)
    try:
        health = wait_healthy(url, proc)
        assert health["store"] == "ok" and health["outbox_backlog"] == 0
        with urllib.request.urlopen(f"{url}/", timeout=2) as resp:
            assert "MiloMouv" in resp.read().decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    db = tmp_path / "data" / "milomouv.sqlite3"
    assert db.exists()
    assert str(db) in err  # the start-up log says where the data lives
    assert '"stopped"' in err


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("MILOMOUV_PORT", "quatre-vingt"),
        ("MILOMOUV_LOG_LEVEL", "LOUD"),
        ("MILOMOUV_OFFICE_HOURS", "17:00-09:00"),
        ("MILOMOUV_TIMEZONE", "Europe/Verdun"),
        ("MILOMOUV_RETENTION_CLOSED_DAYS", "0"),
    ],
)
def test_bad_setting_stops_start_up_naming_it(tmp_path: Path, setting: str, value: str) -> None:
    result = run_to_end(tmp_path, **{setting: value})
    assert result.returncode == 2
    assert setting in result.stderr
    assert "Traceback" not in result.stderr


def test_corrupt_store_stops_start_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "milomouv.sqlite3").write_bytes(b"garbage" * 1000)
    result = run_to_end(tmp_path)
    assert result.returncode == 2
    assert "MILOMOUV_DATA_DIR" in result.stderr and "Traceback" not in result.stderr


def test_text_catalogue_missing_a_placeholder_stops_start_up(tmp_path: Path) -> None:
    reference = (ROOT / "bot" / "texts.fr.toml").read_text(encoding="utf-8")
    edited = reference.replace("Enchanté {first_name} !", "Enchanté !")
    assert edited != reference
    custom = tmp_path / "texts.toml"
    custom.write_text(edited, encoding="utf-8")
    result = run_to_end(tmp_path, MILOMOUV_TEXTS_FILE=str(custom))
    assert result.returncode == 2
    assert "age.ask" in result.stderr and "{first_name}" in result.stderr


def test_text_catalogue_missing_a_key_stops_start_up(tmp_path: Path) -> None:
    reference = (ROOT / "bot" / "texts.fr.toml").read_text(encoding="utf-8")
    edited = "\n".join(line for line in reference.splitlines() if not line.startswith("btn_what"))
    custom = tmp_path / "texts.toml"
    custom.write_text(edited, encoding="utf-8")
    result = run_to_end(tmp_path, MILOMOUV_TEXTS_FILE=str(custom))
    assert result.returncode == 2
    assert "welcome.btn_what" in result.stderr
