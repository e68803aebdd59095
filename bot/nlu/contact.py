"""Contact answers: a phone (E.164), an e-mail, or "here in the chat"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import phonenumbers

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, squeeze
from bot.nlu.numbers import words_to_digits
from bot.nlu.wordlists import phrase_set, phrases


@dataclass(frozen=True)
class ContactAnswer:
    kind: Literal["phone", "email", "chat"] | None
    value: str | None
    preference: Literal["call", "sms"] | None


_EMAIL_RE = re.compile(
    r"(?<![\w.+\-])([a-z0-9](?:[a-z0-9._%+\-]{0,62}[a-z0-9_])?)@((?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w\-])",
    re.IGNORECASE | re.ASCII,
)
_PHONE_ATTEMPT_RE = re.compile(r"(?:\+|\b00)?[0-9](?:[\s.\-/()]{0,3}[0-9]){5,}")
_PHONE_CANDIDATE_RE = re.compile(r"(?:\+|\b00)?[0-9](?:[\s.\-/()]{0,2}[0-9]){7,14}")
_PHONE_TYPES_OK = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
    }
)

_NAME_INTRO = phrase_set("contact", "name_intro.phrases")
_CALL = phrase_set("contact", "call.phrases")
_TEL_NOT_AFTER = frozenset(phrases("contact", "call.tel_not_after"))
_SMS = phrase_set("contact", "sms.phrases")
_NO_CALL = phrase_set("contact", "refuse.calls")
_NO_SMS = phrase_set("contact", "refuse.sms")
_CHAT = phrase_set("contact", "chat.words")
_CHAT_ALONE = phrase_set("contact", "chat.alone")
_NO_CHAT = phrase_set("contact", "refuse.chat")
_OPENING_CHANNELS = phrase_set("contact", "chat.opening_channels", "call.phrases", "sms.phrases")
_OPENING_CORRECTIONS = phrase_set("contact", "chat.opening_corrections", "refuse.chat")
_OPENING_NEGATORS = phrase_set("contact", "chat.opening_negators")
_ZERO_RE = re.compile(r"\b(?:" + "|".join(phrases("contact", "phone_words.zero")) + r")\b")
_DENIED_BEFORE = tuple(phrases("contact", "phone_words.denied_before"))
_SPOKEN_MIN_WORDS = 5  # "zéro six vingt et un...": a number in words has many of them
_SPELT_AT_RE = re.compile(
    r"\s+(?:" + "|".join(map(re.escape, phrases("contact", "email_words.at"))) + r")\s+",
    re.IGNORECASE,
)
_SPELT_DOT_RE = re.compile(
    r"(@[\w.\-]+)\s+(?:"
    + "|".join(map(re.escape, phrases("contact", "email_words.dot")))
    + r")\s+(?=[a-z])",
    re.IGNORECASE,
)


def _unspelt(raw: str) -> str:
    """ "lina arobase gmail point com" is lina@gmail.com."""
    if not _SPELT_AT_RE.search(raw):
        return raw
    raw = _SPELT_AT_RE.sub("@", raw)
    for _ in range(3):  # "orange point fr", "ac point nancy point fr"
        raw = _SPELT_DOT_RE.sub(r"\1.", raw)
    return raw


def find_email(text: str) -> str | None:
    """The first e-mail address in ``text``, lower-cased, even beside a phone number."""
    if not isinstance(text, str):
        return None
    raw = _unspelt(unicodedata.normalize("NFKC", text[:SHORT_ANSWER_MAX_CHARS]))
    raw = re.sub(r"(?<=\w) ?@ ?(?=\w)", "@", raw)
    m = next((m for m in _EMAIL_RE.finditer(raw) if ".." not in m.group(0)), None)
    return m.group(0).lower() if m else None


def _asks_call(norm: str) -> bool:
    if _CALL.search(norm):
        return True
    tokens = norm.split()
    # "0612345678 tel" is a call; "j'ai pas de tel" is not.
    return (
        bool(tokens)
        and tokens[-1] == "tel"
        and (len(tokens) < 2 or tokens[-2] not in _TEL_NOT_AFTER)
    )


def _e164(number: phonenumbers.PhoneNumber) -> str | None:
    if phonenumbers.number_type(number) not in _PHONE_TYPES_OK:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _denied(text: str, start: int) -> bool:
    """Whether the number at ``start`` follows a denial: "non pas le 06 12 55 48 30"."""
    before = squeeze(normalize(text[max(0, start - 30) : start]))
    return any(before == d or before.endswith(" " + d) for d in _DENIED_BEFORE)


def _match_phone(text: str) -> tuple[int, str] | None:
    """First valid number found by libphonenumber's matcher (region FR), denied ones skipped."""
    matcher = phonenumbers.PhoneNumberMatcher(
        text, "FR", leniency=phonenumbers.Leniency.VALID, max_tries=20
    )
    found: list[tuple[int, str]] = []
    for match in matcher:
        e164 = _e164(match.number)
        if e164 is not None:
            found.append((match.start, e164))
    kept = [f for f in found if not _denied(text, f[0])]
    return (kept or found)[0] if found else None


# Overseas departments share the French 10-digit national plan (0692..., 0690...).
_FR_NATIONAL_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT")


def _parse_phone(candidate: str) -> str | None:
    digits = re.sub(r"[^0-9+]", "", candidate)
    regions = _FR_NATIONAL_REGIONS if re.fullmatch(r"0[1-9][0-9]{8}", digits) else ("FR",)
    for region in regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return _e164(number)
    return None


def _find_phone(text: str) -> tuple[int, str] | None:
    """(position, E.164) of the first valid phone number in ``text``.

    Numbers are read with region FR; Belgian, Luxembourg (or other) numbers
    are accepted when written in international form (+32..., 0032...).
    """
    try:
        found = _match_phone(text)
    except Exception:  # a third-party parser must never break the flow
        found = None
    if found is not None:
        return found
    for m in _PHONE_CANDIDATE_RE.finditer(text):
        try:
            e164 = _parse_phone(m.group(0))
        except Exception:
            e164 = None
        if e164 is not None:
            return m.start(), e164
    return None


def _preference(norm: str) -> Literal["call", "sms"] | None:
    norm = " ".join(_NAME_INTRO.sub(" ", norm).split())
    no_call = bool(_NO_CALL.search(norm))
    no_sms = bool(_NO_SMS.search(norm))
    cleaned = " ".join(_NO_SMS.sub(" ", _NO_CALL.sub(" ", norm)).split())
    call = _asks_call(cleaned) or no_sms
    sms = bool(_SMS.search(cleaned)) or no_call
    if call and not sms:
        return "call"
    if sms and not call:
        return "sms"
    return None


def _spoken_phone(norm: str) -> str | None:
    """A phone number said in words, read by text2num: "zero six vingt et un quarante trois"."""
    if len(norm.split()) < _SPOKEN_MIN_WORDS or not _ZERO_RE.search(norm):
        return None
    digits = words_to_digits(_ZERO_RE.sub("0", norm))
    found = _find_phone(digits)
    return found[1] if found is not None else None


def parse_contact(text: str) -> ContactAnswer:
    """Phone (E.164), email (lower-cased) or "chat", plus a call/SMS preference."""
    if not isinstance(text, str):
        return ContactAnswer(None, None, None)
    raw = _unspelt(unicodedata.normalize("NFKC", text[:SHORT_ANSWER_MAX_CHARS]))
    raw = re.sub(r"(?<=\w) ?@ ?(?=\w)", "@", raw)  # "lina.m @ gmail.com"
    email_match = next((m for m in _EMAIL_RE.finditer(raw) if ".." not in m.group(0)), None)
    masked = _EMAIL_RE.sub(lambda m: " " * len(m.group(0)), raw)
    phone = _find_phone(masked)
    norm = squeeze(normalize(masked))
    preference = _preference(norm)

    if phone is not None and (email_match is None or phone[0] <= email_match.start()):
        return ContactAnswer("phone", phone[1], preference)
    if email_match is not None:
        return ContactAnswer("email", email_match.group(0).lower(), None)
    spoken = _spoken_phone(norm)
    if spoken is not None:
        return ContactAnswer("phone", spoken, preference)
    attempt = _PHONE_ATTEMPT_RE.search(masked)
    if attempt is not None and sum(c.isdigit() for c in attempt.group(0)) >= 6:
        return ContactAnswer(None, None, preference)  # looks like a number, but invalid
    chat = _CHAT.search(norm) or _CHAT_ALONE.fullmatch(norm)
    if len(norm.split()) <= 12 and chat and not _NO_CHAT.search(norm):
        return ContactAnswer("chat", None, None)
    # "ici, comme ça je parle à personne au téléphone": said first, alone, the reason after.
    first, *rest = _CLAUSE_RE.split(masked.strip(), maxsplit=1)
    opening = squeeze(normalize(first))
    if (
        opening
        and (_CHAT.fullmatch(opening) or _CHAT_ALONE.fullmatch(opening))
        and _rest_keeps_opening(opening, rest[0] if rest else "")
    ):
        return ContactAnswer("chat", None, None)
    return ContactAnswer(None, None, preference)


def _rest_keeps_opening(opening: str, rest: str) -> bool:
    """Whether what follows an opening "ici," leaves it the answer.

    Not when it corrects it ("ici, mais pas ici en fait, par mail") or names another channel
    outside a negated clause ("ici, par mail"); "là" ("right now") not beside any negator
    ("là, je suis pas dispo").
    """
    for clause in _CLAUSE_RE.split(rest):
        norm = squeeze(normalize(clause))
        if _OPENING_CORRECTIONS.search(norm):
            return False
        negated = _OPENING_NEGATORS.search(norm) is not None
        if negated and not _CHAT.search(opening):
            return False  # "là, je suis pas dispo": "là" is "right now"
        if not negated and _OPENING_CHANNELS.search(norm):
            return False
    return True


_CLAUSE_RE = re.compile(r"[,;.!\n]")
