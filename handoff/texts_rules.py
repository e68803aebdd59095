"""Whether an edit of one catalogue key may go live, and if not, why (in French)."""

from __future__ import annotations

import string
from collections.abc import Mapping

from bot.channels.meta import MAX_TITLE_CHARS
from bot.channels.telegram import TelegramChannel
from bot.channels.webchat import WebChat
from bot.errors import ConfigError
from bot.texts import BUTTON_TITLE_MAX, Texts, placeholders
from handoff.errors import Invalid
from handoff.meetings import check_catalogue

# Not wording: a marker the consent records point to, changed with the privacy notice itself.
FIXED_SECTIONS = ("meta",)
# Messenger's and Instagram's quick reply titles; Telegram and the web chat have no lower one.
BUTTON_MAX = min(BUTTON_TITLE_MAX, MAX_TITLE_CHARS)
# One message on Telegram and the web chat; Messenger and Instagram split a longer one.
TEXT_MAX = min(TelegramChannel.max_text, WebChat.max_text)
# Entries read as a list of words, and how many words they must keep.
WORD_LISTS = {"meeting.weekdays": 7, "meeting.months": 12}

Problem = tuple[str, dict[str, object]]  # a catalogue key under [texts] and its values


class TextRefused(Invalid):
    """An edit refused, with every reason; the first one is the error's own message."""

    def __init__(self, problems: list[Problem]) -> None:
        key, values = problems[0]
        super().__init__(key, **values)
        self.problems = problems

    def body(self, texts: Texts) -> dict[str, object]:
        reasons = [texts(key, **values) for key, values in self.problems]
        return {"error": reasons[0], "problems": reasons}


def editable(key: str) -> bool:
    return key.partition(".")[0] not in FIXED_SECTIONS


def is_button(key: str) -> bool:
    """Button titles are the `btn_*` entries (the flow builds its buttons from them only)."""
    return key.partition(".")[2].startswith("btn_")


def problems(key: str, text: object, defaults: Texts, live: Mapping[str, str]) -> list[Problem]:
    """Every reason to refuse `text` for `key`; empty when it may go live."""
    if key not in defaults.keys() or not editable(key):
        return [("texts.error_unknown_key", {"name": key})]
    if not isinstance(text, str):
        return [("api.error_field_type", {"field": "text"})]
    if not text.strip():
        return [("texts.error_empty", {})]
    found = _shape(text, defaults.raw(key))
    if found:
        return found
    if is_button(key):
        if "\n" in text:
            found.append(("texts.error_button_lines", {}))
        if len(text) > BUTTON_MAX:
            found.append(("texts.error_button_long", {"length": len(text), "max": BUTTON_MAX}))
    elif len(text) > TEXT_MAX:
        found.append(("texts.error_too_long", {"length": len(text), "max": TEXT_MAX}))
    words = WORD_LISTS.get(key)
    if words is not None and len(text.split()) != words:
        found.append(("texts.error_word_list", {"count": words}))
    return found or _catalogue(key, text, defaults, live)


def check(key: str, text: object, defaults: Texts, live: Mapping[str, str]) -> str:
    """The text, or TextRefused with every reason."""
    found = problems(key, text, defaults, live)
    if found:
        raise TextRefused(found)
    assert isinstance(text, str)
    return text


def _shape(text: str, default: str) -> list[Problem]:
    """The `{names}`: exactly the default's, plain (no format spec, no positional field)."""
    try:
        fields = list(string.Formatter().parse(text))
        used = placeholders(text)
    except (ValueError, ConfigError):
        return [("texts.error_braces", {})]
    if any(f is not None and (f == "" or spec or conv) for _, f, spec, conv in fields):
        return [("texts.error_braces", {})]
    expected = placeholders(default)
    allowed = ", ".join(f"{{{n}}}" for n in sorted(expected)) or "—"
    found: list[Problem] = [
        ("texts.error_placeholder_missing", {"name": n}) for n in sorted(expected - used)
    ]
    found += [
        ("texts.error_placeholder_unknown", {"name": n, "allowed": allowed})
        for n in sorted(used - expected)
    ]
    return found


def _catalogue(key: str, text: str, defaults: Texts, live: Mapping[str, str]) -> list[Problem]:
    """The start-up checks, run on the whole catalogue as it would be with this edit."""
    try:
        merged = defaults.with_overrides({**live, key: text})
    except ConfigError as exc:
        return [("texts.error_catalogue", {"detail": str(exc)})]
    return [("texts.error_catalogue", {"detail": p}) for p in check_catalogue(merged)]
