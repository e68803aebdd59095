"""`python main.py user …` as an operator runs it, on a fresh data folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "un mot de passe solide"


def main_py(
    tmp_path: Path, *args: str, password: str | None = PASSWORD
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("MILOMOUV_", "TELEGRAM_", "META_"))
    }
    env.update(MILOMOUV_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    if password is not None:
        env["MILOMOUV_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_add_list_disable(tmp_path: Path) -> None:
    added = main_py(tmp_path, "user", "add", "Marie.Dupont@ml55.fr", "--role", "coordinator")
    assert added.returncode == 0, added.stderr
    assert "created coordinator #1 marie.dupont@ml55.fr (Marie Dupont)" in added.stdout
    second = main_py(
        tmp_path,
        "user",
        "add",
        "karim@ml55.fr",
        "--role",
        "counsellor",
        "--territory",
        "CC de Stenay",
    )
    assert second.returncode == 0, second.stderr

    listed = main_py(tmp_path, "user", "list")
    assert listed.returncode == 0
    lines = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [line[1:5] for line in lines] == [
        ["karim@ml55.fr", "counsellor", "CC de Stenay", "active"],
        ["marie.dupont@ml55.fr", "coordinator", "-", "active"],
    ]

    disabled = main_py(tmp_path, "user", "disable", "KARIM@ml55.fr")
    assert disabled.returncode == 0 and "disabled #2" in disabled.stdout
    assert "\tdisabled\t" in main_py(tmp_path, "user", "list").stdout

    with sqlite3.connect(tmp_path / "data" / "milomouv.sqlite3") as db:
        hashes = [row[0] for row in db.execute("SELECT password_hash FROM staff")]
        actions = [row[0] for row in db.execute("SELECT action FROM audit WHERE actor = 'cli'")]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert actions == ["staff_created", "staff_created", "staff_disabled"]


def test_refusals_exit_non_zero_with_a_clear_message(tmp_path: Path) -> None:
    short = main_py(tmp_path, "user", "add", "a@ml55.fr", "--role", "counsellor", password="court")
    assert short.returncode == 1 and "au moins 10 caractères" in short.stderr
    bad_email = main_py(tmp_path, "user", "add", "pas-un-mail", "--role", "counsellor")
    assert bad_email.returncode == 1 and "e-mail invalide" in bad_email.stderr
    assert main_py(tmp_path, "user", "add", "a@ml55.fr", "--role", "counsellor").returncode == 0
    again = main_py(tmp_path, "user", "add", "a@ml55.fr", "--role", "coordinator")
    assert again.returncode == 1 and "existe déjà" in again.stderr
    unknown = main_py(tmp_path, "user", "disable", "nobody@ml55.fr")
    assert unknown.returncode == 1 and "no account" in unknown.stderr
    bad_role = main_py(tmp_path, "user", "add", "b@ml55.fr", "--role", "boss")
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr
    assert main_py(tmp_path, "user", "list").stdout.count("\n") == 1


def test_password_is_asked_when_not_in_the_environment(tmp_path: Path) -> None:
    # No terminal and no MILOMOUV_PASSWORD: getpass reads stdin, which is empty → refused.
    result = main_py(tmp_path, "user", "add", "a@ml55.fr", "--role", "counsellor", password=None)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_a_reset_link_from_the_command_line_for_an_active_account(tmp_path: Path) -> None:
    assert (
        main_py(tmp_path, "user", "add", "claire@ml55.fr", "--role", "coordinator").returncode == 0
    )
    made = main_py(tmp_path, "user", "reset-link", "Claire@ml55.fr", password=None)
    assert made.returncode == 0, made.stderr
    link = made.stdout.splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8080/handoff/reset?token=") and len(link) > 80
    db = sqlite3.connect(tmp_path / "data" / "milomouv.sqlite3")
    stored = db.execute("SELECT token_hash, staff_id FROM staff_reset_tokens").fetchall()
    db.close()
    assert len(stored) == 1 and stored[0][1] == 1 and stored[0][0] not in link  # a digest only
    unknown = main_py(tmp_path, "user", "reset-link", "nobody@ml55.fr", password=None)
    assert unknown.returncode == 1 and "no active account" in unknown.stderr
