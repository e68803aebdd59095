"""The dashboard settings' store roles: account administration, canned replies, the audit log.

A password-reset token is kept as its SHA-256 only, works once and expires; redeeming it sets
the new password hash and ends every session of the account in the same write.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from bot.store.records import AuditEntry, Role, Staff


@dataclass(frozen=True, slots=True)
class CannedItem:
    """One canned reply with its stable id and its place in the list (0 first)."""

    id: str
    title: str
    text: str
    position: int


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters of the audit log page; `before_id` pages back from the newest line."""

    actor: str | None = None
    action: str | None = None
    since: float | None = None
    until: float | None = None
    before_id: int | None = None
    limit: int = 50


class AccountAdminStore(ABC):
    """What the coordinator changes on accounts besides creating and disabling them."""

    @abstractmethod
    async def set_staff_role(self, staff_id: int, role: Role) -> Staff | None:
        """Change an account's role; None when there is no such account."""

    @abstractmethod
    async def create_reset_token(
        self, token_hash: str, staff_id: int, now: float, expires_at: float
    ) -> None:
        """Store a fresh reset token for the account, dropping its earlier unused ones."""

    @abstractmethod
    async def reset_token_staff(self, token_hash: str, now: float) -> int | None:
        """The account a valid (unused, unexpired) reset token is for, else None."""

    @abstractmethod
    async def redeem_reset_token(
        self, token_hash: str, password_hash: str, now: float
    ) -> int | None:
        """Atomically: spend a valid token, set the password, end the account's sessions.

        Returns the account's id, or None when the token was not valid (nothing changed).
        """

    @abstractmethod
    async def change_password(
        self, staff_id: int, password_hash: str, keep_session: str | None
    ) -> None:
        """Set the password and end the account's sessions except `keep_session` (an id hash)."""


class CannedStore(ABC):
    """Canned replies one by one, each with a stable id, in the coordinator's order."""

    @abstractmethod
    async def canned_items(self) -> list[CannedItem]:
        """Every canned reply, in order."""

    @abstractmethod
    async def add_canned(self, title: str, text: str) -> CannedItem:
        """Append a canned reply at the end of the list."""

    @abstractmethod
    async def edit_canned(self, item_id: str, title: str, text: str) -> CannedItem | None:
        """Change a reply's title and text; None when there is no such reply."""

    @abstractmethod
    async def move_canned(self, item_id: str, position: int) -> CannedItem | None:
        """Move a reply to `position` (clamped to the list), the others keeping their order."""

    @abstractmethod
    async def delete_canned(self, item_id: str) -> bool:
        """Remove a reply; False when there was none with this id."""


class AuditLogStore(ABC):
    """Reading the audit log for its page: filtered, newest first, in pages."""

    @abstractmethod
    async def audit_log(self, query: AuditQuery) -> list[AuditEntry]:
        """Lines matching every filter given (period: since <= at < until), newest first."""

    @abstractmethod
    async def audit_actions(self) -> list[str]:
        """Every action name present in the log, sorted (the page's filter choices)."""
