"""How one text looks on each channel, with sample values: bubbles, parts and buttons.

The channels' own limits and rules are used (Messenger's title cut at 20 characters,
Telegram's two buttons a row for short titles, long texts split into several messages),
so what the coordinator sees is what a youth gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.channels.base import split_text
from bot.channels.instagram import Instagram
from bot.channels.messenger import Messenger
from bot.channels.meta import MAX_QUICK_REPLIES, MAX_TITLE_CHARS, shorten
from bot.channels.telegram import SHORT_TITLE, TelegramChannel
from bot.errors import ConfigError
from bot.texts import Texts, placeholders

# Sections a youth reads in the chat; the others are the team's own pages and notices.
YOUTH_SECTIONS = frozenset(
    "welcome name age commune need contact availability summary handoff global distress faq "
    "privacy erase handback meeting nudge webchat".split()
)
_NEEDS = tuple(f"need.btn_{n}" for n in ("job", "training", "mobility", "housing", "health"))
_NEEDS += ("need.btn_unsure", "need.btn_other")
_SLOTS = tuple(
    f"availability.btn_{s}"
    for s in ("weekday_morning", "weekday_afternoon", "evening", "saturday", "any")
)
_WELCOME = ("welcome.btn_start", "welcome.btn_what", "welcome.btn_no")
_COMMUNES = ("@Stenay", "@Mouzay", "@Dun-sur-Meuse", "commune.btn_other")  # "@": data, not a key
_FIX = tuple(
    f"summary.btn_fix_{f}"
    for f in ("first_name", "age", "commune", "need", "contact", "availability")
)
# The buttons the flow sends with each message (bot/flows/prompts.py and intake.py).
BUTTONS: dict[str, tuple[str, ...]] = {
    "welcome.text": _WELCOME,
    "welcome.reask": _WELCOME,
    "welcome.what_is_it": ("welcome.btn_start", "welcome.btn_no"),
    "commune.choices": _COMMUNES,
    "commune.postcode": _COMMUNES,
    "commune.outside": ("commune.btn_outside_human", "commune.btn_outside_no"),
    "need.ask": _NEEDS,
    "need.reask": _NEEDS,
    "contact.ask": ("contact.btn_chat", "contact.btn_call", "contact.btn_sms"),
    "contact.reask": ("contact.btn_chat",),
    "availability.ask": _SLOTS,
    "availability.reask": _SLOTS,
    "summary.text": ("summary.btn_ok", "summary.btn_fix"),
    "summary.reask": ("summary.btn_ok", "summary.btn_fix"),
    "summary.fix_which": _FIX,
    "global.offer_human": ("global.btn_human_yes", "global.btn_human_no"),
    "erase.confirm": ("erase.btn_yes", "erase.btn_no"),
}
# Invented values shown in place of the {placeholders}.
SAMPLES: dict[str, Any] = {
    "first_name": "Lina",
    "age": 19,
    "commune": "Stenay",
    "departement": "Ardennes",
    "need": "trouver un job",
    "contact": "06 12 34 56 78",
    "availability": "le soir",
    "phone": "06 12 34 56 78",
    "email": "lina@exemple.fr",
    "postcode": "55700",
    "count": 3,
    "eta": "Un conseiller te répond aujourd'hui, normalement très vite.",
    "where": "ici, dans ce chat",
    "time": "14h",
    "day": "lundi",
    "date": "2 décembre",
    "privacy_url": "https://exemple.fr/confidentialite",
    "mission_locale_contact": "Mission locale, 03 29 00 00 00",
    "mission_locale_finder_url": "https://exemple.fr/trouver",
    "carrier": "Meta (Messenger)",
    "retention_unfinished": 30,
    "retention_closed": 365,
}


def sample(text: str) -> str:
    """The text with an invented value for each placeholder (its name for unknown ones)."""
    try:
        values = {n: SAMPLES.get(n, n) for n in placeholders(text)}
        return text.format(**values) if values else text
    except (ConfigError, ValueError, LookupError, AttributeError):
        return text  # a refused edit is still shown, as typed


def message_of(key: str) -> str | None:
    """The message a button title is shown with; None for a key that is no button."""
    return next((m for m, buttons in BUTTONS.items() if key in buttons), None)


def preview(key: str, text: str, live: Texts) -> dict[str, Any]:
    """What `text` for `key` looks like on each channel (the other entries as they are live)."""
    entries: Mapping[str, str] = {k: live.raw(k) for k in live.keys()} | {key: text}
    if key.partition(".")[0] not in YOUTH_SECTIONS:
        return {"kind": "team", "text": sample(text)}
    message = message_of(key) or key
    body = sample(entries[message])
    titles = [b[1:] if b.startswith("@") else entries[b] for b in BUTTONS.get(message, ())]
    return {
        "kind": "youth",
        "message_key": message,
        "messenger": _meta(body, titles, Messenger.max_text, Messenger.measure),
        "instagram_parts": len(split_text(body, Instagram.max_text, Instagram.measure)),
        "telegram": _telegram(body, titles),
        "web": {"parts": [body], "buttons": titles},
    }


def _meta(body: str, titles: list[str], limit: int, measure: Any) -> dict[str, Any]:
    parts = split_text(body, limit, measure)
    if len(titles) > MAX_QUICK_REPLIES:  # the channel's own fallback: numbered lines
        parts[-1] += "\n\n" + "\n".join(f"{i}. {t}" for i, t in enumerate(titles, 1))
        titles = []
    shown = [shorten(t, MAX_TITLE_CHARS) for t in titles]
    return {
        "parts": parts,
        "buttons": shown,
        "cut": [t for t, s in zip(titles, shown, strict=True) if t != s],
    }


def _telegram(body: str, titles: list[str]) -> dict[str, Any]:
    parts = split_text(body, TelegramChannel.max_text, _utf16_len)
    per_row = 2 if all(len(t) <= SHORT_TITLE for t in titles) else 1
    rows = [titles[i : i + per_row] for i in range(0, len(titles), per_row)]
    return {"parts": parts, "rows": rows}


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
