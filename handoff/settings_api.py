"""The settings pages' JSON routes, registered on the API sub-app in one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from handoff.api import Api


def register(api: Api, app: web.Application) -> None:
    from handoff.accounts_api import AccountsApi
    from handoff.audit_log import AuditApi
    from handoff.canned_api import CannedApi

    AccountsApi(api).register(app)
    CannedApi(api).register(app)
    AuditApi(api.service).register(app)
