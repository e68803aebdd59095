"""MiloMouv' bot: `python main.py` serves; `python main.py --help` lists the admin commands."""

from __future__ import annotations

import argparse
import sys

from aiohttp import web

from bot import event_loop
from bot.errors import ConfigError
from bot.logs import setup_logging
from bot.settings import load_settings
from handoff import cli as handoff_cli


def serve() -> int:
    from bot.app import create_app  # here: `main.py user …` need not load the whole service

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
        web.run_app(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            print=None,
            access_log=None,
            shutdown_timeout=15.0,
        )
    except ConfigError as exc:
        print(f"milomouv: cannot start: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="main.py", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the bot and the dashboard (default)")
    handoff_cli.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command in (None, "serve"):
        return serve()
    if args.command == "user":
        return handoff_cli.run(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
