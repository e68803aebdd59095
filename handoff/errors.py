"""Errors of the handoff: each carries its HTTP status and a catalogue key, never personal data.

The French message a counsellor reads is looked up in the text catalogue (`[api]` section)
when the error is turned into a response, so the wording stays editable.
"""

from __future__ import annotations

from typing import Any, ClassVar

from bot.errors import MiloMouvError
from bot.texts import Texts


class HandoffError(MiloMouvError):
    """Root of the handoff's refusals: an HTTP status, a catalogue key and its values."""

    status: ClassVar[int] = 400
    default_key: ClassVar[str] = "api.error_invalid"

    def __init__(self, key: str | None = None, **values: Any) -> None:
        self.key = key or self.default_key
        self.values = values
        super().__init__(self.key)

    def message(self, texts: Texts) -> str:
        return texts(self.key, **self.values)

    def body(self, texts: Texts) -> dict[str, Any]:
        return {"error": self.message(texts)}


class NotLoggedIn(HandoffError):
    status = 401
    default_key = "api.error_login_required"


class Forbidden(HandoffError):
    """Wrong role, bad CSRF token, or an invalid setup link."""

    status = 403
    default_key = "api.error_forbidden_role"


class NotFound(HandoffError):
    """No such ticket or account (also a colleague to transfer to who is gone)."""

    status = 404
    default_key = "api.error_not_found"


class Refused(HandoffError):
    """It clashes with the current state: a closed ticket, one that moved, an e-mail in use."""

    status = 409
    default_key = "api.error_conversation_moved"


class HeldByOther(Refused):
    """Someone else holds the ticket; `holder` is their display name (None: nobody yet)."""

    default_key = "api.error_not_holder"

    def __init__(self, holder: str | None, key: str | None = None) -> None:
        super().__init__(key, holder=holder or "")
        self.holder = holder

    def body(self, texts: Texts) -> dict[str, Any]:
        return {"error": self.message(texts), "holder": self.holder}


class ClaimLost(HeldByOther):
    """Another counsellor claimed the ticket first."""

    default_key = "api.error_claim_lost"


class Invalid(HandoffError):
    status = 422
    default_key = "api.error_invalid"


class Throttled(HandoffError):
    status = 429
    default_key = "api.error_throttled"

    def __init__(self, retry_after: int) -> None:
        super().__init__(minutes=max(1, -(-retry_after // 60)))
        self.retry_after = retry_after


class NotJson(HandoffError):
    """A body that is not declared `application/json`."""

    status = 415
    default_key = "api.error_json_required"
