"""The figures page: server-drawn SVG charts, and the counts as CSV (no personal data)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from aiohttp import web

from handoff import figures_named
from handoff.dashboard import Dashboard
from handoff.errors import Invalid
from handoff.figures import NONE, UNKNOWN
from handoff.figures_api import figures_of

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

BAR_MAX = 100.0  # percent of the chart's bar area
FUNNEL = ("started", "consented", "intake_completed", "tickets", "claimed", "first_reply", "closed")
BREAKDOWNS = ("channel", "source", "source_kind", "territory", "commune", "need", "age")
ROWS_MAX = 12  # a chart longer than this folds its tail into "other"


def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    FiguresPages(deps, service).register_figures(pages)


def bars(counts: dict[str, int], label: Any) -> list[dict[str, Any]]:
    """Rows of a bar chart: label, count and width (the largest is full width)."""
    items = list(counts.items())
    if len(items) > ROWS_MAX:
        rest = sum(n for _, n in items[ROWS_MAX - 1 :])
        items = [*items[: ROWS_MAX - 1], ("other", rest)]
    top = max((n for _, n in items), default=0) or 1
    return [
        {"label": label(k), "count": n, "width": round(BAR_MAX * n / top, 1), "y": 28 * i}
        for i, (k, n) in enumerate(items)
    ]


class FiguresPages(Dashboard):
    """GET /handoff/figures and /handoff/figures.csv, for coordinators."""

    def register_figures(self, app: web.Application) -> None:
        app.router.add_get("/figures", self.figures_page)
        app.router.add_get("/figures.csv", self.figures_csv)
        app.router.add_post(figures_named.ROUTE, self.named_csv)

    async def coordinator(self, request: web.Request) -> tuple[Staff, dict[str, Any]]:
        """The signed-in coordinator and the page frame (with the CSRF token)."""
        staff, frame, _ = await self._frame(request)
        if not staff.is_coordinator:
            raise web.HTTPForbidden(
                text=self.texts("api.error_forbidden_role"), content_type="text/plain"
            )
        return staff, frame

    def has(self, key: str) -> bool:
        return self._has(key)

    async def named_csv(self, request: web.Request) -> web.Response:
        return await figures_named.named_export(self, request)

    async def _figures(self, request: web.Request) -> tuple[dict[str, Any], dict[str, Any]]:
        staff, frame, _ = await self._frame(request)
        if not staff.is_coordinator:
            raise web.HTTPForbidden(
                text=self.texts("api.error_forbidden_role"), content_type="text/plain"
            )
        try:
            return frame, await figures_of(self.deps, request)
        except Invalid as exc:
            raise web.HTTPBadRequest(
                text=exc.message(self.texts), content_type="text/plain"
            ) from None

    async def figures_page(self, request: web.Request) -> web.Response:
        frame, figures = await self._figures(request)
        t = self.texts
        labels = {s.code: s.label for s in await self.service.store.list_sources()}
        label = self._labeller(labels)
        funnel = figures["funnel"]
        charts = [
            {"key": k, "title": t(f"figures.by_{k}"), "rows": bars(counts, label(k))}
            for k, counts in figures["breakdowns"].items()
        ]
        goal = figures["goal"]
        return self._render(
            request,
            "desk_figures.html",
            page="figures",
            f=figures,
            funnel=bars({k: funnel[k] for k in FUNNEL}, lambda k: t(f"figures.{k}")),
            outcomes=bars(funnel["closed_by_outcome"], self._outcome),
            charts=charts,
            goal_width=round(min(1.0, goal["reached"] / max(goal["goal"], 1)) * BAR_MAX, 1),
            forecast_width=round(min(1.0, goal["forecast"] / max(goal["goal"], 1)) * BAR_MAX, 1),
            territories=await self.service.store.territories(),
            duration=_duration,
            query=request.query_string,
            **frame,
        )

    def _labeller(self, sources: dict[str, str]) -> Any:
        t = self.texts

        def of(kind: str) -> Any:
            def label(key: str) -> str:
                if key in (UNKNOWN, NONE, "other"):
                    return t(f"figures.{key}")
                if kind == "channel":
                    return (
                        t(f"sources.channel_{key}") if self._has(f"sources.channel_{key}") else key
                    )
                if kind == "source":
                    return sources.get(key, key)
                if kind == "source_kind":
                    return t(f"sources.kind_{key}") if self._has(f"sources.kind_{key}") else key
                if kind == "need":
                    return t(f"need.label_{key}") if self._has(f"need.label_{key}") else key
                if kind == "age":
                    return f"{key} ans"
                return key

            return label

        return of

    async def figures_csv(self, request: web.Request) -> web.Response:
        _, figures = await self._figures(request)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["section", "key", "count"])
        funnel = figures["funnel"]
        for key in FUNNEL:
            writer.writerow(["funnel", key, funnel[key]])
        for key, n in funnel["closed_by_outcome"].items():
            writer.writerow(["outcome", key, n])
        for part in BREAKDOWNS:
            for key, n in figures["breakdowns"][part].items():
                writer.writerow([part, key, n])
        for step, spread in figures["times"].items():
            for clock, values in spread.items():
                for stat in ("median", "p90"):
                    writer.writerow([f"seconds_to_{step}_{clock}", stat, values[stat] or ""])
        goal = figures["goal"]
        for key in ("goal", "reached", "forecast"):
            writer.writerow(["year", key, goal[key]])
        period = figures["period"]
        name = f"milomouv-chiffres-{period['from']}-{period['to']}.csv"
        return web.Response(
            text=out.getvalue(),
            content_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d}" if hours < 48 else f"{round(hours / 24)} j"
