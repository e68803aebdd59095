"""Accounts from the dashboard: invite, change a role, one-time reset links, own password.

A reset link carries a random 256-bit token; the store keeps only its SHA-256, for
RESET_LINK_HOURS, and spends it on first use. The coordinator sees the link once, to pass
on; whoever opens it chooses a password under the usual rules, and every session of the
account ends.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.store.base import ROLES, Staff, Store
from handoff.auth import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, check_password, digest
from handoff.errors import Forbidden, Invalid, NotFound, Refused
from handoff.views import trim

if TYPE_CHECKING:
    from handoff.service import Handoff

RESET_LINK_HOURS = 48
RESET_PATH = "/handoff/reset"


@dataclass(frozen=True, slots=True)
class ResetLink:
    link: str  # shown once; never stored, never logged
    expires_at: float

    def view(self) -> dict[str, Any]:
        return {"link": self.link, "expires_at": self.expires_at}


async def issue_link(store: Store, staff_id: int, public_url: str, now: float) -> ResetLink:
    """A fresh one-time link for the account; its earlier unused links stop working."""
    token = secrets.token_urlsafe(32)
    expires_at = now + RESET_LINK_HOURS * 3600
    await store.create_reset_token(digest(token), staff_id, now, expires_at)
    return ResetLink(f"{public_url.rstrip('/')}{RESET_PATH}?token={token}", expires_at)


def _text(data: dict[str, Any], field: str, limit: int) -> str:
    value = data.get(field)
    if value is None:
        raise Invalid("api.error_field_missing", field=field)
    if not isinstance(value, str):
        raise Invalid("api.error_field_type", field=field)
    value = trim(value)
    if not value or len(value) > limit:
        raise Invalid("settings.error_text", field=field, max=limit)
    return value


def _role(data: dict[str, Any]) -> str:
    role = data.get("role")
    if role not in ROLES:
        raise Invalid("api.error_role")
    return str(role)


class AccountAdmin:
    """Coordinator actions on accounts, and each person's own password; all audited."""

    def __init__(self, service: Handoff) -> None:
        self.service = service
        self.store = service.store
        self.auth = service.auth

    @staticmethod
    def _coordinator(actor: Staff) -> None:
        if not actor.is_coordinator:
            raise Forbidden()

    async def _account(self, staff_id: int) -> Staff:
        found = await self.store.get_staff(staff_id)
        if found is None:
            raise NotFound("api.error_staff_not_found")
        return found

    async def invite(self, actor: Staff, data: dict[str, Any]) -> tuple[Staff, ResetLink]:
        """A new account (name, e-mail, role) and the link its owner sets a password with."""
        self._coordinator(actor)
        name = _text(data, "display_name", NAME_MAX)
        email = _text(data, "email", EMAIL_MAX)
        role = _role(data)
        # Nobody knows this password: the account opens only through its reset link.
        staff = await self.auth.create_account(
            email, secrets.token_urlsafe(32), role, display_name=name
        )
        await self.service.audit(actor, "staff_created", f"staff:{staff.id}", role=staff.role)
        return staff, await self._new_link(actor, staff)

    async def set_role(self, actor: Staff, staff_id: int, data: dict[str, Any]) -> Staff:
        self._coordinator(actor)
        role = _role(data)
        if staff_id == actor.id:
            raise Forbidden("settings.error_own_role")
        await self._account(staff_id)
        changed = await self.store.set_staff_role(
            staff_id, "coordinator" if role == "coordinator" else "counsellor"
        )
        assert changed is not None
        await self.service.audit(actor, "staff_role_changed", f"staff:{staff_id}", role=role)
        return changed

    async def reset_link(self, actor: Staff, staff_id: int) -> ResetLink:
        self._coordinator(actor)
        staff = await self._account(staff_id)
        if not staff.active:
            raise Refused("settings.error_account_disabled")
        return await self._new_link(actor, staff)

    async def _new_link(self, actor: Staff, staff: Staff) -> ResetLink:
        public_url = self.service.deps.settings.public_url
        link = await issue_link(self.store, staff.id, public_url, self.service.now())
        await self.service.audit(actor, "password_link_created", f"staff:{staff.id}")
        return link

    async def link_valid(self, token: str) -> bool:
        return await self.store.reset_token_staff(digest(token), self.service.now()) is not None

    async def redeem(self, token: str, password: str) -> None:
        """Set a password through a reset link; the link is spent, every session ends."""
        if not await self.link_valid(token):
            raise Forbidden("settings.error_reset_link")
        check_password(password)
        hashed = await asyncio.to_thread(self.auth.hasher.hash, password)
        staff_id = await self.store.redeem_reset_token(digest(token), hashed, self.service.now())
        if staff_id is None:
            raise Forbidden("settings.error_reset_link")
        await self.store.audit(
            f"staff:{staff_id}", "password_reset", f"staff:{staff_id}", {}, self.service.now()
        )

    async def change_own(
        self, staff: Staff, session_hash: str, current: str, new: str, address: str
    ) -> None:
        """Change one's own password: the current one first (throttled like a login)."""
        check_password(new)
        attempt = await self.auth.throttle.reserve(digest(staff.email), address)
        found = await self.store.find_login(staff.email)
        ok = await self.auth._verify(found[1] if found else None, current[:PASSWORD_MAX])
        if not ok:
            await self.auth.throttle.failed(attempt)
            raise Forbidden("settings.error_current_password")
        await self.auth.throttle.succeeded(attempt)
        hashed = await asyncio.to_thread(self.auth.hasher.hash, new)
        await self.store.change_password(staff.id, hashed, session_hash)
        await self.service.audit(staff, "password_changed", f"staff:{staff.id}")
