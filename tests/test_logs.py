"""Log lines: one JSON object each, the level honoured, personal keys redacted, names kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import logging, structlog
from bot.logs import setup_logging
setup_logging("json", "INFO")
log = structlog.get_logger("bot.engine")
log.debug("below_the_level", conversation="c1")
log.info("event_processed", conversation="c1", first_name="Zoé", replies=1)
logging.getLogger("aiohttp.server").warning("foreign %s", "line")
try:
    raise ValueError("boom")
except ValueError:
    log.exception("unit_failed", conversation="c2")
"""


def test_json_lines_level_redaction_and_names() -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stderr.splitlines()]
    assert [line["event"] for line in lines] == ["event_processed", "foreign line", "unit_failed"]
    processed, foreign, failed = lines
    assert processed["level"] == "info" and processed["logger"] == "bot.engine"
    assert processed["first_name"] == "[redacted]" and "Zoé" not in run.stderr
    assert processed["replies"] == 1 and processed["timestamp"].endswith("Z")
    assert foreign["level"] == "warning" and foreign["logger"] == "aiohttp.server"
    assert failed["level"] == "error" and "ValueError: boom" in failed["exception"]
