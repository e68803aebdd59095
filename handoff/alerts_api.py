"""JSON routes of the inbox's watch under /api/: alerts, absence, push devices, linked chats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.store.roles_push import PushSubscription
from handoff.api import Api, _body, _json, _ticket_id
from handoff.errors import Invalid
from handoff.links import Links
from handoff.openapi_alerts import CONVERSATION_ID, MAX_ENDPOINT, MAX_KEY

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.push import Pusher
    from handoff.watch import Watch

# What the dashboard's scripts read, from the catalogue.
JS_TEXT_SECTIONS = ("watch.", "push.", "links.")


def _watch(request: web.Request) -> Watch:
    from handoff import WATCH

    return request.config_dict[WATCH]


def _pusher(request: web.Request) -> Pusher | None:
    return _watch(request).pusher


def _subscription(data: dict[str, Any], staff: Staff, now: float) -> PushSubscription:
    """A browser's PushSubscription.toJSON(), checked: an https endpoint and both keys."""
    endpoint, keys = data.get("endpoint"), data.get("keys")
    if (
        not isinstance(endpoint, str)
        or not endpoint.startswith("https://")
        or len(endpoint) > MAX_ENDPOINT
        or not isinstance(keys, dict)
    ):
        raise Invalid("push.error_subscription")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    for key in (p256dh, auth):
        if not isinstance(key, str) or not 0 < len(key) <= MAX_KEY:
            raise Invalid("push.error_subscription")
    return PushSubscription(endpoint, staff.id, str(p256dh), str(auth), now)


class AlertsApi:
    """Handlers sharing the API's service, auth and JSON helpers."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.auth = api.auth
        self.service = api.service
        self.links = Links(api.service)

    def register(self, app: web.Application) -> None:
        app.router.add_get("/watch", self.watch, allow_head=False)
        app.router.add_put("/me/absence", self.absence)
        app.router.add_post("/push/subscriptions", self.subscribe)
        app.router.add_delete("/push/subscriptions", self.unsubscribe)
        app.router.add_get("/tickets/{id}/links", self.list_links, allow_head=False)
        app.router.add_post("/tickets/{id}/links", self.link)
        app.router.add_delete("/tickets/{id}/links", self.unlink)

    async def watch(self, request: web.Request) -> web.Response:
        """The signed-in person's current alerts, absence and push key, with their texts."""
        staff = await self.auth.require(request)
        watch, t = _watch(request), self.service.deps.texts
        alerts = []
        for due in await watch.due(self.service.now()):
            ticket = due.wait.ticket
            step = "holder" if ticket.assigned_to == staff.id else None
            if step is None and staff.is_coordinator and "coordinator" in due.steps:
                step = "coordinator"
            if step is None:
                continue
            holder = await self.service.store.get_staff(ticket.assigned_to or 0)
            text = t(
                f"watch.alert_{step}",
                first_name=ticket.snapshot.get("first_name") or t("staff_notice.no_name"),
                holder=holder.display_name if holder else t("watch.someone"),
                waiting=watch.alerts.duration(due.waited),
            )
            alerts.append(
                {
                    "ticket_id": ticket.id,
                    "step": step,
                    "url": f"/handoff/tickets/{ticket.id}",
                    "text": text,
                }
            )
        away = await self.service.store.away_records([staff.id])
        pusher = _pusher(request)
        texts = {k: t.raw(k) for k in t.keys() if k.startswith(JS_TEXT_SECTIONS)}
        return _json(
            {
                "alerts": alerts,
                "absent": bool(staff.id in away and away[staff.id].absent),
                "absent_minutes": self.service.deps.settings.away_requeue_minutes,
                "push_key": pusher.public_key if pusher else None,
                "texts": texts,
            }
        )

    async def absence(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        absent = (await _body(request)).get("absent")
        if not isinstance(absent, bool):
            raise Invalid("api.error_field_type", field="absent")
        await self.service.store.set_absent(staff.id, absent, self.service.now())
        await self.service.audit(
            staff, "staff_absent" if absent else "staff_back", f"staff:{staff.id}"
        )
        return _json({"absent": absent})

    async def subscribe(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        sub = _subscription(await _body(request), staff, self.service.now())
        await self.service.store.save_subscription(sub)
        return _json({"subscribed": True}, 201)

    async def unsubscribe(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        endpoint = (await _body(request)).get("endpoint")
        if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT:
            raise Invalid("push.error_subscription")
        removed = await self.service.store.drop_subscription(endpoint, staff.id)
        return _json({"removed": removed})

    async def list_links(self, request: web.Request) -> web.Response:
        await self.auth.require(request)
        return _json(await self.links.view(_ticket_id(request)))

    async def link(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        ticket_id, other = _ticket_id(request), _other(await _body(request))
        return _json(await self.links.link(ticket_id, staff, other), 201)

    async def unlink(self, request: web.Request) -> web.Response:
        staff = await self.auth.require(request, csrf=True)
        ticket_id, other = _ticket_id(request), _other(await _body(request))
        return _json(await self.links.unlink(ticket_id, staff, other))


def _other(data: dict[str, Any]) -> str:
    """The other conversation's id from a request body."""
    other = data.get("conversation_id")
    if other is None:
        raise Invalid("api.error_field_missing", field="conversation_id")
    if not isinstance(other, str) or not CONVERSATION_ID.fullmatch(other):
        raise Invalid("api.error_field_type", field="conversation_id")
    return other
