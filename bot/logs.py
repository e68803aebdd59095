"""Structured logs: JSON in production, readable on a terminal; identifiers only."""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog

# Keys that must never reach a log line, whatever a caller passes by mistake.
_FORBIDDEN = frozenset(
    {"text", "message_text", "first_name", "name", "phone", "email", "profile", "payload", "body"}
)


def _drop_personal(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in _FORBIDDEN & event.keys():
        event[key] = "[redacted]"
    return event


class _NamedWriter(structlog.WriteLogger):
    """structlog's plain writer, with the name `add_logger_name` reads."""

    def __init__(self, name: str, file: TextIO) -> None:
        super().__init__(file)
        self.name = name


def _writer_factory(file: TextIO) -> Any:
    def factory(*args: Any) -> _NamedWriter:
        return _NamedWriter(str(args[0]) if args else "", file)

    return factory


def setup_logging(fmt: str = "auto", level: str = "INFO") -> None:
    """Configure structlog and the standard library logging to one stream (stderr)."""
    if fmt == "auto":
        fmt = "console" if sys.stderr.isatty() else "json"
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_personal,
    ]
    exc_info = structlog.processors.format_exc_info if fmt == "json" else _identity
    # Our own lines skip the standard library: a line below the level costs one method call
    # (no event dict built), and a written one is rendered and written once (two lines a
    # message at saturation, ~100 µs each through logging's LogRecord and formatter).
    structlog.configure(
        processors=[*shared, exc_info, renderer],
        logger_factory=_writer_factory(sys.stderr),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        cache_logger_on_first_use=True,
    )
    # Third-party libraries' lines go through the standard library, rendered the same way.
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # aiohttp's access log prints full URLs (query strings may hold tokens): keep it off.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Both print request parameters (message texts, profiles) at DEBUG.
    logging.getLogger("telegram").setLevel(logging.INFO)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    logging.getLogger("transitions").setLevel(logging.WARNING)  # one line per transition


def _identity(_: Any, __: str, event: Any) -> Any:
    return event
