"""Figures from raw measurements, and their Markdown for the terminal and BENCHMARKS.md."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from bench.load import Phase

HEADER = (
    "# Benchmarks\n\nRun `make bench` to measure again; each section below is rewritten by it.\n"
)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[max(0, min(len(ordered), rank) - 1)]


def phase_figures(phase: Phase) -> dict[str, Any]:
    # Acknowledgements and replies may go on after the offering ended: rates to the last one.
    acking = max(phase.last_ack - phase.started, 1e-9)
    replying = max(phase.last_reply - phase.started, 1e-9)
    figures: dict[str, Any] = {
        "seconds": round(phase.seconds, 2),
        "offered_per_s": phase.offered / max(phase.seconds, 1e-9),
        "acked_per_s": phase.acked / acking,
        "replies_per_s": phase.replies / replying,
        "acked": phase.acked,
        "replies": phase.replies,
        "failed": phase.failed,
        "reply_timeouts": phase.reply_timeouts,
        "refused_by_generator": phase.refused_by_generator,
        "youths": phase.youths,
        "completed_intakes": phase.completed,
    }
    for name, values in (("ack", phase.ack_latency), ("reply", phase.reply_latency)):
        for q in (50, 95, 99):
            figures[f"{name}_p{q}_ms"] = percentile(values, q) * 1000
    for channel, values in sorted(phase.channel_latency.items()):
        figures[f"reply_p50_p95_p99_ms_{channel}"] = [
            round(percentile(values, q) * 1000, 1) for q in (50, 95, 99)
        ]
    figures["reply_p50_ms_by_step"] = {
        step: round(percentile(values, 50) * 1000, 1)
        for step, values in sorted(phase.step_latency.items())
    }
    return figures


def _latencies(f: dict[str, Any], name: str) -> str:
    return " / ".join(f"{f[f'{name}_p{q}_ms']:,.0f}" for q in (50, 95, 99))


def pipeline_markdown(r: dict[str, Any]) -> str:
    rows = []
    if "saturation" in r:
        rows = [("bare aiohttp (ceiling)", r["bare"]), ("bot at saturation", r["saturation"])]
    rows += [(f"bot at {load['rate']:,} msg/s offered", load) for load in r["loads"]]
    lines = [
        f"Run of {r['date']} on {r['cpus']} CPUs (1-minute load average at start: "
        f"{r['load_average_at_start']}), store: {r['store']}.",
        "",
        "| phase | offered msg/s | acknowledged msg/s | replies delivered/s "
        "| ack p50 / p95 / p99 ms | inbound→reply p50 / p95 / p99 ms "
        "| youths (intakes completed) | not acked / reply timeouts |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, f in rows:
        replies = "—" if label.startswith("bare") else f"{f['replies_per_s']:,.0f}"
        reply_lat = "—" if label.startswith("bare") else _latencies(f, "reply")
        lines.append(
            f"| {label} | {f['offered_per_s']:,.0f} | {f['acked_per_s']:,.0f} | {replies} "
            f"| {_latencies(f, 'ack')} | {reply_lat} "
            f"| {f['youths']:,} ({f['completed_intakes']:,}) "
            f"| {f['failed']} / {f['reply_timeouts']} |"
        )
    lines += [
        "",
        "| inbound→reply by channel, p50 / p95 / p99 ms | Messenger | Telegram |",
        "| --- | ---: | ---: |",
    ]
    for label, f in rows:
        if label.startswith("bare"):
            continue
        cells = [
            " / ".join(f"{v:,.0f}" for v in f.get(f"reply_p50_p95_p99_ms_{channel}", [])) or "—"
            for channel in ("messenger", "telegram")
        ]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    refused = sum(load["refused_by_generator"] for load in r["loads"])
    lines += ["", "| figure | value |", "| --- | ---: |"]
    if "saturation" in r:
        lines += [
            f"| replies at saturation, share of the bare rate | {r['share_of_bare_replies']:.1%} |",
            f"| acknowledgements at saturation, share of the bare rate | "
            f"{r['share_of_bare_acks']:.1%} |",
        ]
    lines += [
        f"| bot RSS at start / end | {r['rss_start_mib']:.1f} MiB / {r['rss_end_mib']:.1f} MiB |",
        f"| replies expected (one per acknowledged message) | {r['expected_replies']:,} |",
        f"| lost replies | {r['lost_replies']} |",
        f"| duplicated replies | {r['duplicated_replies']} |",
        f"| messages the generator could not offer (in-flight bound) | {refused:,} |",
    ]
    phases = [("the saturation phase", r["saturation_cpu_share"])] if "saturation" in r else []
    phases += [
        (f"{load['rate']:,} msg/s offered, its drain included", load["cpu_share"])
        for load in r["loads"]
    ]
    lines.append("")
    for label, shares in phases:
        cpu = ", ".join(f"{name} {share:.0%}" for name, share in shares.items())
        lines.append(f"CPU used during {label} (100 % = one core): {cpu}.")
    if r["platform_problems"]:
        lines += ["", "Calls the fake platforms refused: " + "; ".join(r["platform_problems"])]
    return "\n".join(lines)


def write_section(path: Path, name: str, title: str, body: str) -> None:
    """Replace (or append) the section `name` of the report file, leaving the rest as it is."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{begin}\n## {title}\n\n{body.rstrip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
