"""The benchmark, run for a few seconds end to end: it works and reports every figure.

How fast the bot is, is not checked here: the benchmark measures that, on a quiet machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pipeline(output: Path, figures: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bench pipeline --quick` with these arguments; it must succeed."""
    files = ["--output", str(output), "--json", str(figures)]
    done = subprocess.run(
        [sys.executable, "-m", "bench", "pipeline", "--quick", *args, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_a_quick_pipeline_run_reports_every_figure(tmp_path: Path) -> None:
    output = tmp_path / "BENCHMARKS.md"
    output.write_text("# Benchmarks\n\nFindings written by hand stay.\n", encoding="utf-8")
    figures = tmp_path / "figures.json"
    _pipeline(output, figures, "--workdir", str(tmp_path / "work"))
    result = json.loads(figures.read_text())["pipeline"]
    saturation = result["saturation"]
    assert saturation["completed_intakes"] >= 1  # some youths went welcome to ticket
    assert saturation["replies"] > 0 and saturation["failed"] == 0
    assert result["bare"]["acked_per_s"] > 0
    assert [load["rate"] for load in result["loads"]] == [10, 20, 40]
    assert all(load["acked"] > 0 and load["replies"] > 0 for load in result["loads"])
    assert result["expected_replies"] > 0
    assert (result["lost_replies"], result["duplicated_replies"]) == (0, 0)
    assert result["platform_problems"] == []
    assert result["rss_start_mib"] > 10 and result["rss_end_mib"] > 10
    assert 0 < result["share_of_bare_replies"] < 1
    text = output.read_text(encoding="utf-8")
    assert "Findings written by hand stay." in text
    for figure in (
        "bare aiohttp (ceiling)",
        "bot at saturation",
        "bot at 10 msg/s offered",
        "bot at 40 msg/s offered",
        "ack p50 / p95 / p99 ms",
        "inbound→reply p50 / p95 / p99 ms",
        "share of the bare rate",
        "bot RSS at start / end",
        "| lost replies | 0 |",
        "| duplicated replies | 0 |",
    ):
        assert figure in text, figure
    assert text == output.read_text(encoding="utf-8") and text.count("<!-- bench:pipeline -->") == 1


def test_one_fixed_rate_phase_alone_is_printed_and_leaves_the_report_as_it_is(
    tmp_path: Path,
) -> None:
    output = tmp_path / "BENCHMARKS.md"
    output.write_text("# Benchmarks\n\nA whole run's section stays.\n", encoding="utf-8")
    figures = tmp_path / "figures.json"
    done = _pipeline(
        output,
        figures,
        "--rates",
        "15",
        "--seconds",
        "2",
        "--bot-setting",
        "MILOMOUV_MAX_CONCURRENT=8",
    )
    result = json.loads(figures.read_text())["pipeline"]
    assert "saturation" not in result and "bare" not in result
    [load] = result["loads"]
    assert load["rate"] == 15 and load["acked"] > 0 and load["replies"] > 0
    assert load["cpu_share"]["bot"] > 0
    assert (result["lost_replies"], result["duplicated_replies"]) == (0, 0)
    assert "bot at 15 msg/s offered" in done.stdout
    assert "CPU used during 15 msg/s offered" in done.stdout
    assert output.read_text(encoding="utf-8") == "# Benchmarks\n\nA whole run's section stays.\n"
