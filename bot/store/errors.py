"""Store failures; messages carry identifiers only, never personal data."""

from __future__ import annotations


class StoreError(Exception):
    """Root of store failures; the message never carries personal data."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or is corrupt."""


class Conflict(StoreError):
    """An optimistic update lost against a concurrent one."""


class AlreadyProcessed(StoreError):
    """The inbox event of a unit of work was already processed: nothing was written."""


class DuplicateEmail(StoreError):
    """An account with this e-mail already exists."""
