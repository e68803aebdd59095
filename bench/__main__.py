"""`python -m bench [all|pipeline|rss|queries|profile]`: measure, print, write BENCHMARKS.md."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import pipeline, processes, profile, queries, report, rss

QUICK = pipeline.PipelineConfig(
    bare_seconds=1.0,
    saturation_seconds=3.0,
    concurrency=20,
    loads=(10, 20, 40),
    load_seconds=1.0,
    max_in_flight=200,
    reply_timeout=20.0,
    drain_seconds=30.0,
)


def _pipeline(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    config = dataclasses.replace(
        QUICK if args.quick else pipeline.PipelineConfig(), store_url=args.store_url
    )
    if args.concurrency:
        config = dataclasses.replace(config, concurrency=args.concurrency)
    if args.bot_setting:
        pairs = tuple(tuple(item.split("=", 1)) for item in args.bot_setting)
        config = dataclasses.replace(config, bot_settings=pairs)
    if args.seconds:
        config = dataclasses.replace(config, saturation_seconds=args.seconds)
    if args.loads:
        loads = tuple(int(rate) for rate in args.loads.split(","))
        config = dataclasses.replace(config, loads=loads)
    if args.load_seconds:
        config = dataclasses.replace(config, load_seconds=args.load_seconds)
    if args.rates:
        # Only those fixed-rate phases, each --seconds long: a partial run, never written
        # over the whole run's section.
        loads = tuple(int(rate) for rate in args.rates.split(","))
        seconds = args.seconds or config.load_seconds
        config = dataclasses.replace(config, saturation=False, loads=loads, load_seconds=seconds)
    result = asyncio.run(pipeline.run(config, tmp))
    text = report.pipeline_markdown(result)
    print(text, flush=True)
    if not args.rates:
        report.write_section(args.output, "pipeline", "Pipeline: webhooks in, replies out", text)
    return result


def _queries(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    conversations = 20_000 if args.quick else args.conversations
    result = asyncio.run(queries.run(tmp, conversations, args.generate_seconds))
    text = queries.markdown(result)
    print(text, flush=True)
    title = "Scale: counsellor queries at 1 M stored conversations"
    report.write_section(args.output, "queries", title, text)
    return result


def _rss(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    conversations = 3_000 if args.quick else args.rss_conversations
    shm = Path("/dev/shm")  # noqa: S108 (a private temporary folder is made inside)
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else tmp) as data:
        result = asyncio.run(rss.run(tmp, Path(data), conversations, args.rss_seconds))
    text = rss.markdown(result)
    print(text, flush=True)
    report.write_section(args.output, "rss", "Scale: memory across 100k conversations", text)
    return result


def _profile(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    seconds = 3.0 if args.quick else args.profile_seconds
    result = asyncio.run(profile.run(tmp, seconds, args.concurrency or 400))
    text = profile.markdown(result)
    print(text, flush=True)
    report.write_section(args.output, "profile", "Profile at saturation (measured)", text)
    return result


SUBCOMMANDS = {
    "pipeline": _pipeline,
    "rss": _rss,
    "queries": _queries,
    "profile": _profile,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("what", nargs="?", default="all", choices=["all", *SUBCOMMANDS])
    parser.add_argument("--quick", action="store_true", help="a few seconds, to check it works")
    parser.add_argument("--store-url", help="pipeline: passed to the bot as MILOMOUV_STORE_URL")
    parser.add_argument("--concurrency", type=int, help="youths at saturation")
    parser.add_argument(
        "--seconds", type=float, help="length of the saturation phase (with --rates: of each)"
    )
    parser.add_argument(
        "--rates",
        help="pipeline: only these fixed-rate phases, e.g. 500 or 100,500 (printed, not written)",
    )
    parser.add_argument(
        "--bot-setting",
        action="append",
        metavar="NAME=VALUE",
        help="pipeline: a setting of the bot, e.g. MILOMOUV_MAX_CONCURRENT=16 (repeatable)",
    )
    parser.add_argument("--loads", help="pipeline: offered rates, msg/s, e.g. 100,500")
    parser.add_argument("--load-seconds", type=float, help="pipeline: length of each rate")
    parser.add_argument(
        "--processes", type=int, default=1, help="pipeline: the bot's MILOMOUV_PROCESSES"
    )
    parser.add_argument("--profile-seconds", type=float, default=20.0, help="profile: length")
    parser.add_argument("--rss-conversations", type=int, default=100_000, help="rss: how many")
    parser.add_argument("--rss-seconds", type=float, default=900.0, help="rss: time bound")
    parser.add_argument("--conversations", type=int, default=1_000_000, help="queries: rows")
    parser.add_argument(
        "--generate-seconds", type=float, default=300.0, help="queries: bound on generating rows"
    )
    parser.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"))
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument(
        "--workdir", type=Path, help="keep data and logs here (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    processes.bot_processes = args.processes
    chosen = list(SUBCOMMANDS) if args.what == "all" else [args.what]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="milomouv-bench-") as tmp:
        for name in chosen:
            work = (args.workdir or Path(tmp)) / name
            work.mkdir(parents=True)
            results[name] = SUBCOMMANDS[name](args, work)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
