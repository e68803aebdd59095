"""Account administration by the coordinator: create and disable staff accounts.

Disabling an account ends its sessions and puts the tickets it held back in the queue, all in
one store transaction, so no youth is left with a counsellor who can no longer log in.
"""

from __future__ import annotations

from bot.store.base import Staff
from handoff.errors import Forbidden, NotFound
from handoff.service import Handoff


class Accounts:
    """Coordinator-only actions on accounts; every one is written to the audit log."""

    def __init__(self, service: Handoff) -> None:
        self.service = service

    async def create_staff(
        self,
        actor: Staff,
        email: str,
        password: str,
        role: str,
        *,
        territory: str | None = None,
        display_name: str | None = None,
    ) -> Staff:
        """Create an account (coordinator only)."""
        if not actor.is_coordinator:
            raise Forbidden()
        staff = await self.service.auth.create_account(
            email, password, role, territory=territory, display_name=display_name
        )
        await self.service.audit(actor, "staff_created", f"staff:{staff.id}", role=staff.role)
        return staff

    async def disable_staff(self, actor: Staff, staff_id: int) -> Staff:
        """Disable an account (coordinator only); its tickets go back to the queue."""
        if not actor.is_coordinator:
            raise Forbidden()
        if staff_id == actor.id:
            raise Forbidden("api.error_disable_self")
        if await self.service.store.get_staff(staff_id) is None:
            raise NotFound("api.error_staff_not_found")
        requeued = await self.service.store.disable_staff(staff_id, self.service.now())
        for ticket_id in requeued:
            self.service.deps.live.publish(
                "ticket_transferred", ticket_id=ticket_id, to_staff_id=None
            )
        await self.service.audit(
            actor, "staff_disabled", f"staff:{staff_id}", requeued=len(requeued)
        )
        staff = await self.service.store.get_staff(staff_id)
        assert staff is not None
        return staff
