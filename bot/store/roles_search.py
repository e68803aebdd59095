"""Finding tickets: a search over what youths and counsellors wrote, with the queue's filters.

Every backend answers the same `TicketQuery`. The text is cut into words here, once, so both
backends match the same way: every word must appear in one indexed document (a thread line
written by a youth or a counsellor, a staff note, or a ticket's card: first name, phone,
e-mail, commune, need, source), accents and case ignored, whole words only.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

import phonenumbers

from bot.store.records import QueuedTicket

SearchStatus = Literal["waiting", "mine", "open", "closed", "all"]
SEARCH_STATUSES: tuple[str, ...] = ("waiting", "mine", "open", "closed", "all")
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
MAX_RESULTS = 200
# Ticket card fields that are searched, as keys of the ticket's snapshot.
CARD_FIELDS = ("first_name", "phone", "email", "commune", "need_text")

_WORD = re.compile(r"\w+", re.UNICODE)
_PHONE_LIKE = re.compile(r"^\+?[\d\s.\-()]{6,}$")


@dataclass(frozen=True, slots=True)
class TicketQuery:
    """What the counsellor asked for; empty fields do not filter."""

    text: str = ""
    status: SearchStatus = "open"
    staff_id: int | None = None  # whose tickets "mine" means
    territory: str | None = None
    channel: str | None = None
    source: str | None = None
    need: str | None = None
    urgent: bool | None = None
    since: float | None = None  # ticket created at or after
    until: float | None = None  # ticket created before
    limit: int = 50
    structure: str | None = None  # the id of the structure the ticket was routed to

    @property
    def terms(self) -> list[str]:
        return search_terms(self.text)


def fold(text: str) -> str:
    """Lower case without accents: how words are compared."""
    if text.isascii():  # most words: the same result, without decomposing each character
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_terms(text: str) -> list[str]:
    """The words to match: a phone number becomes its international digits, as stored."""
    text = text.strip()[:200]
    if _PHONE_LIKE.match(text):
        digits = _phone_digits(text)
        if digits:
            return [digits]
    return document_words(text)[:MAX_TERMS]


def document_words(text: str) -> list[str]:
    """The distinct folded words of an indexed document."""
    words = (fold(w).strip("_") for w in _WORD.findall(text))
    return list(dict.fromkeys(w for w in words if w))


def _phone_digits(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164.lstrip("+")


class SearchStore(ABC):
    """Tickets found by words and filters, newest first."""

    @abstractmethod
    async def find_tickets(self, query: TicketQuery) -> list[QueuedTicket]:
        """Tickets matching every filter and, when words are given, whose conversation has them."""
