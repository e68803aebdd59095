"""MiloMouv' bot: `python main.py` serves; `python main.py --help` lists the admin commands."""

from __future__ import annotations

import argparse
import sys

from bot import event_loop, processes
from bot.errors import ConfigError
from bot.logs import setup_logging
from bot.settings import load_settings
from handoff import cli as handoff_cli


def serve(supervisor: int | None = None) -> int:
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"milomouv: cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        event_loop.install(settings.event_loop)
    except ConfigError as exc:
        print(f"milomouv: cannot start: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_format, settings.log_level)
    try:
        return processes.serve(settings, supervisor=supervisor)
    except ConfigError as exc:
        print(f"milomouv: cannot start: {exc}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="main.py", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    serve_parser = sub.add_parser("serve", help="run the bot and the dashboard (default)")
    # One of MILOMOUV_PROCESSES server processes, started by the supervisor (its pid).
    # Without a pid (a supervisor started before an upgrade), the parent at start is taken.
    serve_parser.add_argument(
        processes.CHILD_FLAG, type=int, nargs="?", const=0, help=argparse.SUPPRESS
    )
    handoff_cli.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command in (None, "serve"):
        return serve(supervisor=getattr(args, "child", None))
    if args.command == "user":
        return handoff_cli.run(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
