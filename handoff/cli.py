"""`python main.py user add|list|disable|reset-link`: staff accounts from the command line.

The password comes from MILOMOUV_PASSWORD, else it is asked twice (never on the command line,
where other users of the machine could read it).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.errors import ConfigError
from bot.settings import Settings, load_settings
from bot.store.base import ROLES, Store, StoreUnavailable
from bot.store.factory import build_store, setting_name
from bot.texts import Texts
from handoff.account_admin import RESET_LINK_HOURS, issue_link
from handoff.auth import Auth
from handoff.errors import HandoffError

PASSWORD_ENV = "MILOMOUV_PASSWORD"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `user …` on main.py's command line."""
    user = sub.add_parser("user", help="manage staff accounts (counsellors, coordinators)")
    actions = user.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser(
        "add", help=f"create an account (password from {PASSWORD_ENV} or asked)"
    )
    add.add_argument("email")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--territory", help="territory the person mostly covers")
    add.add_argument("--name", help="name colleagues see (default: from the e-mail)")
    actions.add_parser("list", help="list the accounts")
    disable = actions.add_parser(
        "disable", help="disable an account; its tickets go back to the queue"
    )
    disable.add_argument("email")
    link = actions.add_parser(
        "reset-link", help="print a one-time link to choose a new password (valid 48 hours)"
    )
    link.add_argument("email")


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Run one `user` command; 0 on success, 1 on a refused action, 2 on a setup problem."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"milomouv: {exc}", file=sys.stderr)
        return 2
    commands: dict[str, Callable[[Auth, Store], Awaitable[int]]] = {
        "add": lambda auth, store: _add(args, auth, out, settings),
        "list": lambda auth, store: _list(store, out),
        "disable": lambda auth, store: _disable(args.email, store, out),
        "reset-link": lambda auth, store: _reset_link(args.email, store, out, settings),
    }
    return asyncio.run(_with_store(settings, commands[args.user_command]))


async def _with_store(settings: Settings, command: Callable[[Auth, Store], Awaitable[int]]) -> int:
    store = build_store(settings, admin=True)
    try:
        await store.open()
    except StoreUnavailable as exc:
        print(f"milomouv: {setting_name(settings)}: {exc}", file=sys.stderr)
        return 2
    try:
        return await command(Auth(store, time.time), store)
    finally:
        await store.close()


def _password() -> str | None:
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    try:
        first = getpass.getpass("Password (10 characters or more): ")
        again = getpass.getpass("Same password again: ")
    except (EOFError, KeyboardInterrupt):
        print(f"\nmilomouv: no password given (set {PASSWORD_ENV} or type it)", file=sys.stderr)
        return None
    if again != first:
        print("milomouv: the two passwords differ", file=sys.stderr)
        return None
    return first


async def _add(args: argparse.Namespace, auth: Auth, out: TextIO, settings: Settings) -> int:
    password = _password()
    if password is None:
        return 1
    try:
        staff = await auth.create_account(
            args.email, password, args.role, territory=args.territory, display_name=args.name
        )
    except HandoffError as exc:
        print(f"milomouv: {exc.message(Texts.load(settings.texts_file))}", file=sys.stderr)
        return 1
    await auth.store.audit(
        "cli", "staff_created", f"staff:{staff.id}", {"role": staff.role}, time.time()
    )
    print(f"created {staff.role} #{staff.id} {staff.email} ({staff.display_name})", file=out)
    return 0


async def _list(store: Store, out: TextIO) -> int:
    accounts = await store.list_staff()
    if not accounts:
        print("no account yet", file=out)
    for s in accounts:
        state = "active" if s.active else "disabled"
        territory = s.territory or "-"
        print(f"{s.id}\t{s.email}\t{s.role}\t{territory}\t{state}\t{s.display_name}", file=out)
    return 0


async def _disable(email: str, store: Store, out: TextIO) -> int:
    found = await store.find_login(email)
    if found is None:
        print(f"milomouv: no account with the e-mail {email}", file=sys.stderr)
        return 1
    staff = found[0]
    requeued = await store.disable_staff(staff.id, time.time())
    await store.audit(
        "cli", "staff_disabled", f"staff:{staff.id}", {"requeued": len(requeued)}, time.time()
    )
    print(
        f"disabled #{staff.id} {staff.email}; {len(requeued)} ticket(s) back in the queue", file=out
    )
    return 0


async def _reset_link(email: str, store: Store, out: TextIO, settings: Settings) -> int:
    """For a locked-out coordinator: the same one-time link the accounts page gives."""
    found = await store.find_login(email)
    if found is None or not found[0].active:
        print(f"milomouv: no active account with the e-mail {email}", file=sys.stderr)
        return 1
    staff = found[0]
    reset = await issue_link(store, staff.id, settings.public_url, time.time())
    await store.audit("cli", "password_link_created", f"staff:{staff.id}", {}, time.time())
    print(f"one-time link for #{staff.id}, valid {RESET_LINK_HOURS} hours:", file=out)
    print(reset.link, file=out)
    return 0
