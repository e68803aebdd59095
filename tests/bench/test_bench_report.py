"""The benchmark's arithmetic: percentiles, lost and duplicated replies, report sections."""

from __future__ import annotations

from pathlib import Path

from bench.pipeline import count_losses
from bench.report import percentile, write_section
from bench.youths import SCRIPT, Youth


def test_percentiles_by_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert [percentile(values, q) for q in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([], 99) == 0.0


def _youth(acked: int) -> Youth:
    youth = Youth.new("messenger")
    youth.acked = acked
    return youth


def test_every_acknowledged_message_is_owed_exactly_one_reply() -> None:
    a, b, c = _youth(3), _youth(2), _youth(1)
    users = {a.key: [3, 0], b.key: [3, 1], c.key: [0, 0]}
    assert count_losses([a, b, c], users) == (1, 1)  # c lost one, b got one twice


def test_replies_beyond_what_was_owed_or_to_strangers_are_duplicates() -> None:
    a = _youth(1)
    assert count_losses([a], {a.key: [2, 0], "telegram:42": [1, 0]}) == (0, 2)
    assert count_losses([a], {a.key: [1, 0]}) == (0, 0)


def test_the_script_is_a_whole_intake_with_fresh_event_ids_per_message() -> None:
    assert len(SCRIPT) == 10
    youth = Youth.new("telegram")
    bodies = set()
    for step in range(len(SCRIPT)):
        youth.step = step
        path, body, headers = youth.request()
        assert path == "/webhooks/telegram" and "X-Telegram-Bot-Api-Secret-Token" in headers
        bodies.add(body)
    assert len(bodies) == len(SCRIPT)


def test_a_section_is_replaced_in_place_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\nHand-written findings.\n", encoding="utf-8")
    write_section(path, "pipeline", "Pipeline", "first run")
    write_section(path, "queries", "Queries", "queries run")
    write_section(path, "pipeline", "Pipeline", "second run")
    text = path.read_text(encoding="utf-8")
    assert "Hand-written findings." in text and "queries run" in text
    assert "second run" in text and "first run" not in text
    assert text.index("second run") < text.index("queries run")
