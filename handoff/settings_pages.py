"""The settings pages: accounts, canned replies, the audit log, one's own password, reset links.

Pages are rendered on the server; their scripts (accounts.js, canned.js, password.js) call the
JSON API. The audit log needs no script: its filters are a plain GET form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aiohttp import web

from bot.store.base import ROLES
from handoff import audit_log
from handoff.account_admin import RESET_LINK_HOURS, AccountAdmin
from handoff.auth import PASSWORD_MIN
from handoff.canned import Canned
from handoff.dashboard import Dashboard
from handoff.errors import Invalid
from handoff.service import CANNED_TITLE_MAX, TEXT_MAX

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

URLS = {
    "accounts": "/handoff/accounts",
    "canned": "/handoff/canned",
    "audit": "/handoff/audit",
    "password": "/handoff/password",
    "reset": "/handoff/reset",
}


def _route(name: str) -> str:
    """The path inside the dashboard sub-app (mounted at /handoff/)."""
    return URLS[name].removeprefix("/handoff")


def setup(app: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    SettingsPages(deps, service).register_settings(app)


class SettingsPages(Dashboard):
    """Page handlers; the coordinator's pages answer 403 to a counsellor."""

    def register_settings(self, app: web.Application) -> None:
        self.admin = AccountAdmin(self.service)
        self.canned = Canned(self.service)
        app.router.add_get(_route("accounts"), self.accounts_page)
        app.router.add_get(_route("canned"), self.canned_page)
        app.router.add_get(_route("audit"), self.audit_page)
        app.router.add_get(_route("password"), self.password_page)
        app.router.add_get(_route("reset"), self.reset_page)

    async def _coordinator(self, request: web.Request) -> tuple[Staff, dict[str, Any]]:
        staff, frame, _ = await self._frame(request)
        if not staff.is_coordinator:
            raise web.HTTPForbidden(
                text=self.texts("api.error_forbidden_role"), content_type="text/plain"
            )
        return staff, frame

    async def accounts_page(self, request: web.Request) -> web.Response:
        staff, frame = await self._coordinator(request)
        t = self.texts
        roles = [(r, t(f"dashboard.role_{r}")) for r in ROLES]
        store = self.service.store
        structures = [(s.id, s.name) for s in await store.list_structures()]
        names = dict(structures)
        members = await store.memberships()
        accounts = [
            {
                "id": s.id,
                "name": s.display_name,
                "email": s.email,
                "role": s.role,
                "role_label": t(f"dashboard.role_{s.role}"),
                "active": s.active,
                "me": s.id == staff.id,
                "structure": members.get(s.id),
                "structure_name": names.get(members.get(s.id) or "", ""),
            }
            for s in await self.service.store.list_staff()
        ]
        return self._render(
            request,
            "settings_accounts.html",
            page="accounts",
            accounts=accounts,
            roles=roles,
            structures=structures,
            hours=RESET_LINK_HOURS,
            **frame,
        )

    async def canned_page(self, request: web.Request) -> web.Response:
        _, frame = await self._coordinator(request)
        return self._render(
            request,
            "settings_canned.html",
            page="canned",
            replies=await self.canned.listed(),
            title_max=CANNED_TITLE_MAX,
            text_max=TEXT_MAX,
            **frame,
        )

    async def audit_page(self, request: web.Request) -> web.Response:
        """The log with its filters; a bad filter shows the reason above an empty table."""
        _, frame = await self._coordinator(request)
        query, error, status = request.query, "", 200
        try:
            wanted = audit_log.parse(query, self.deps.flow.office.tz)
            found = await audit_log.page(self.service, wanted)
        except Invalid as exc:
            error, status = exc.message(self.texts), exc.status
            found = {"entries": [], "next_before": None}
        accounts = await self.service.store.list_staff()
        actors = [(f"staff:{s.id}", s.display_name) for s in accounts]
        actors += [
            ("cli", self.texts("settings.audit_cli")),
            ("system", self.texts("settings.audit_system")),
        ]
        kept = {k: query.get(k, "") for k in ("actor", "action", "from", "to")}
        filters = {k: v for k, v in kept.items() if v}
        older = None
        if found["next_before"] is not None:
            older = urlencode(filters | {"before": found["next_before"]})
        return self._render(
            request,
            "settings_audit.html",
            status=status,
            page="audit",
            lines=[self._audit_line(e) for e in found["entries"]],
            actors=actors,
            actions=[(a, self._action(a)) for a in await self.service.store.audit_actions()],
            chosen=kept,
            error=error,
            older=older,
            newest=urlencode(filters) if "before" in query else None,
            **frame,
        )

    def _action(self, code: str) -> str:
        """The action's French label, or its code when the catalogue has none."""
        key = f"settings.action_{code}"
        return self.texts(key) if self._has(key) else code

    def _audit_line(self, entry: dict[str, Any]) -> dict[str, Any]:
        actor = entry["actor"]
        who = entry["actor_name"] or {
            "cli": self.texts("settings.audit_cli"),
            "system": self.texts("settings.audit_system"),
        }.get(actor, actor)
        when = self._local(entry["at"])
        details = ", ".join(f"{k} = {v}" for k, v in sorted(entry["details"].items()))
        return {
            "id": entry["id"],
            "when": when.strftime("%d/%m/%Y %H:%M"),
            "iso": when.isoformat(),
            "who": who,
            "action": entry["action"],
            "action_label": self._action(entry["action"]),
            "target": entry["target"] or "",
            "details": details,
        }

    async def password_page(self, request: web.Request) -> web.Response:
        _, frame, _ = await self._frame(request)
        return self._render(
            request, "settings_password.html", page="password", min_password=PASSWORD_MIN, **frame
        )

    async def reset_page(self, request: web.Request) -> web.Response:
        """Public: the link's owner chooses a password; a spent or expired link says so."""
        token = request.query.get("token", "")[:200]
        valid = bool(token) and await self.admin.link_valid(token)
        return self._render(
            request,
            "settings_reset.html",
            status=200 if valid else 403,
            page="reset",
            staff=None,
            csrf_token="",
            token=token if valid else "",
            token_ok=valid,
            min_password=PASSWORD_MIN,
        )
