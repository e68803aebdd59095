"""Open files at start-up, and a quiet loop when the process runs out of them."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Callable
from typing import Any

import structlog
from aiohttp import web

log = structlog.get_logger(__name__)

ACCEPT_LOG_SECONDS = 60.0
# asyncio's own wording when accept() fails for lack of descriptors (EMFILE/ENFILE/ENOBUFS).
_ACCEPT_ERROR = "socket.accept() out of system resource"


def raise_open_file_limit() -> tuple[int, int]:
    """Raise the soft RLIMIT_NOFILE to the hard one; returns (soft, hard) as they now are."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass  # keep the soft limit we have; it is logged below
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft, hard


class AcceptErrorHandler:
    """The loop's exception handler: accept errors once a minute with a count, the rest as usual."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.suppressed = 0
        self._last: float | None = None

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if not str(context.get("message", "")).startswith(_ACCEPT_ERROR):
            loop.default_exception_handler(context)
            return
        now = self.clock()
        if self._last is not None and now - self._last < ACCEPT_LOG_SECONDS:
            self.suppressed += 1
            return
        exc = context.get("exception")
        log.error(
            "accept_failed_out_of_descriptors",
            error=type(exc).__name__ if exc else None,
            errno=getattr(exc, "errno", None),
            suppressed_since_last=self.suppressed,
        )
        self._last, self.suppressed = now, 0


async def on_startup(app: web.Application) -> None:
    """Raise the open-file limit and install the accept-error handler on the running loop."""
    soft, hard = raise_open_file_limit()
    log.info("open_file_limit", soft=soft, hard=hard)
    asyncio.get_running_loop().set_exception_handler(AcceptErrorHandler())
