"""Counsellor handoff: tickets, queue, dashboard and JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from bot.app import Runtime


def mount(app: web.Application, runtime: Runtime) -> None:
    """Add the dashboard (/handoff/) and the JSON API (/api/) to the service."""
