"""Root exceptions of the bot; messages carry identifiers only, never personal data."""

from __future__ import annotations


class MiloMouvError(Exception):
    """Root of the project's own errors."""


class ConfigError(MiloMouvError):
    """A setting or a text of the catalogue is missing or malformed; start-up stops."""


class SendError(MiloMouvError):
    """A channel could not deliver a reply.

    `retry_after` is set when the platform asked to wait; `permanent` when retrying is useless
    (the person is unreachable, the message window closed).
    """

    def __init__(
        self,
        code: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code
        self.permanent = permanent
        self.retry_after = retry_after
        self.detail = detail
