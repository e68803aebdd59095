"""Age from an answer: "17", "jai 19ans", "dix-sept", "12/03/2006", "j'ai 21 pas 20"."""

from __future__ import annotations

import calendar
import datetime
import re

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, strip_marks
from bot.nlu.numbers import words_to_digits
from bot.nlu.wordlists import PhraseSet, alternation, numbers, phrase_set, phrases

_MIN_AGE, _MAX_AGE = 5, 99

_MONTHS = numbers("age", "months")
_MONTH_ALT = alternation(_MONTHS)

_DATE_NUM_RE = re.compile(
    r"(?<![0-9])([0-9]{1,2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4}|[0-9]{2})(?![0-9])"
)
_DATE_SPACE_RE = re.compile(r"(?<![0-9])([0-9]{1,2}) ([0-9]{1,2}) ([0-9]{4})(?![0-9])")
_DATE_COMPACT_RE = re.compile(r"(?<![0-9])([0-9]{2})([0-9]{2})((?:19|20)[0-9]{2})(?![0-9])")
_DATE_ISO_RE = re.compile(r"(?<![0-9])([0-9]{4})([/.\-])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])")
_DATE_TEXT_RE = re.compile(
    r"(?<![0-9])([0-9]{1,2}|1er|premier)\s*(?:er\s)?("
    + _MONTH_ALT
    + r")\b\s*([0-9]{4}|[0-9]{2})(?![0-9])"
)
_MONTH_YEAR_RE = re.compile(r"\b(" + _MONTH_ALT + r")\s+([0-9]{4})(?![0-9])")
_NUMERIC_MONTH_YEAR_RE = re.compile(
    r"(?<![0-9/.\-])(0?[1-9]|1[0-2])\s*[/.\-]\s*((?:19|20)[0-9]{2})(?![0-9/.\-])"
)

_DECIMAL_RE = re.compile(r"(?<![0-9.,/])([0-9]{1,2})[.,][0-9](?![0-9.,/])")
_TOKEN_RE = re.compile(r"[0-9]+|[^\W\d_]+")
_CLAUSE_BREAK_RE = re.compile(r"[,.;!\n]+")
# "j'ai 18 ans, demain ...": after these the number is the age now, never one to come.
_NOW_HEADS = frozenset({"j ai", "jai", "j en ai", "jen ai"})

_UNITS = phrase_set("age", "units")
_SOON = phrase_set("age", "soon")
_SOON_PERIODS = frozenset(phrases("age", "soon_periods"))
_SOON_AFTER = frozenset(phrases("age", "soon_after"))
_UNIT_WORDS = frozenset(w for p in phrases("age", "units") for w in p.split())
_NEGATORS = phrase_set("age", "negators")
_CORRECTIONS = phrase_set("age", "corrections")
_UNSURE = phrase_set("age", "unsure")
_HEADS = phrase_set("age", "heads")
_MAX_PHRASE_TOKENS = 4
_ORDINAL_RE = re.compile(
    r"(?<![0-9])[0-9]{1,2}(?:" + alternation(phrases("age", "ordinal_suffixes")) + r")(?![^ ])"
)


_OWN_AGE_RE = re.compile(
    r"(?<![^ ])(?:"
    + alternation(phrases("age", "heads"))
    + r") ([0-9]{1,2}) (?:"
    + alternation(phrases("age", "units"))
    + r")(?![^ ])"
)


def parse_own_age(text: str) -> int | None:
    """An age the youth gives as theirs, in so many words ("j'ai 29 ans"), even inside a
    question ("jai 29 ans c trop vieux pour vous ?"); one only."""
    if not isinstance(text, str):
        return None
    norm = " ".join(words_to_digits(normalize(strip_marks(text[:SHORT_ANSWER_MAX_CHARS]))).split())
    found = {int(m.group(1)) for m in _OWN_AGE_RE.finditer(norm)}
    return _in_range(found.pop()) if len(found) == 1 else None


def _tokens(folded: str) -> list[str]:
    """Words and numbers of a folded text, ranks left out ("en 1ère" is a school year)."""
    return _clause_tokens(folded)[0]


def _clause_tokens(folded: str) -> tuple[list[str], list[int]]:
    """The tokens of ``folded`` and, beside each, the number of its clause (split on , . ; !)."""
    tokens: list[str] = []
    clauses: list[int] = []
    for n, piece in enumerate(_CLAUSE_BREAK_RE.split(folded)):
        words = _TOKEN_RE.findall(_ORDINAL_RE.sub(" ", words_to_digits(normalize(piece))))
        tokens.extend(words)
        clauses.extend([n] * len(words))
    return tokens, clauses


def _birth_date_age(year: int, month: int, day: int, today: datetime.date) -> int | None:
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        return None
    if born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _two_digit_year(yy: int, month: int, day: int, today: datetime.date) -> int | None:
    """Pick the century giving an age in 0..99 that is not in the future."""
    for century in (2000, 1900):
        age = _birth_date_age(century + yy, month, day, today)
        if age is not None and 0 <= age <= 99:
            return age
    return None


def _in_range(age: int | None) -> int | None:
    if age is None or not (_MIN_AGE <= age <= _MAX_AGE):
        return None
    return age


def _month_year_age(year: int, month: int, today: datetime.date) -> int | None:
    """Age from a birth month: the day is unknown, so take the lower age."""
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    return _birth_date_age(year, month, calendar.monthrange(year, month)[1], today)


def _age_from_date(text: str, today: datetime.date) -> tuple[bool, int | None]:
    """(found, age) from a full birth date in ``text``."""
    m = _DATE_ISO_RE.search(text)
    if m:
        return True, _birth_date_age(int(m[1]), int(m[3]), int(m[4]), today)
    for regex in (_DATE_NUM_RE, _DATE_SPACE_RE, _DATE_COMPACT_RE):
        m = regex.search(text)
        if m:
            groups = m.groups()
            day, month, year_s = int(groups[0]), int(groups[-2]), groups[-1]
            if len(year_s) == 2:
                return True, _two_digit_year(int(year_s), month, day, today)
            return True, _birth_date_age(int(year_s), month, day, today)
    m = _DATE_TEXT_RE.search(text)
    if m:
        day = 1 if m[1] in {"1er", "premier"} else int(m[1])
        month = _MONTHS[m[2]]
        if len(m[3]) == 2:
            return True, _two_digit_year(int(m[3]), month, day, today)
        return True, _birth_date_age(int(m[3]), month, day, today)
    m = _MONTH_YEAR_RE.search(text)
    if m:
        return True, _month_year_age(int(m[2]), _MONTHS[m[1]], today)
    m = _NUMERIC_MONTH_YEAR_RE.search(text)
    if m:
        return True, _month_year_age(int(m[2]), int(m[1]), today)
    return False, None


class _Tails:
    """Phrases looked for just before a position in a token list."""

    __slots__ = ("_last", "_phrases")

    def __init__(self, items: PhraseSet) -> None:
        self._phrases = items.items
        self._last = frozenset(p.rsplit(" ", 1)[-1] for p in items.items)

    def end_at(self, tokens: list[str], end: int) -> bool:
        """Whether the tokens just before ``end`` are one of the phrases."""
        if end < 1 or tokens[end - 1] not in self._last:
            return False
        return any(
            " ".join(tokens[end - n : end]) in self._phrases
            for n in range(1, min(end, _MAX_PHRASE_TOKENS) + 1)
        )


_SOON_TAILS = _Tails(_SOON)
_NEGATOR_TAILS = _Tails(_NEGATORS)
_CORRECTION_TAILS = _Tails(_CORRECTIONS)
_UNSURE_TAILS = _Tails(_UNSURE)
_HEAD_TAILS = _Tails(_HEADS)


def _is_soon(tokens: list[str], i: int, clauses: list[int] | None = None) -> bool:
    """ "bientot 18", "dans 2 mois 18", "18 ans la semaine prochaine": the age to come.

    Only the clause of the number counts ("j'ai 18 ans, demain j'ai un entretien" is 18), and
    never after "j'ai" ("jai 19 ans demain jsuis dispo").
    """
    if clauses is not None:
        start = clauses.index(clauses[i])
        end = len(clauses) - clauses[::-1].index(clauses[i])
        tokens, i = tokens[start:end], i - start
    if any(" ".join(tokens[max(0, i - n) : i]) in _NOW_HEADS for n in (1, 2, 3)):
        return False
    if _SOON_TAILS.end_at(tokens, i):
        return True
    if i >= 3 and tokens[i - 3] == "dans" and tokens[i - 1] in _SOON_PERIODS:
        return True
    j = i + 1
    while j < len(tokens) and j <= i + 2 and tokens[j] in _UNIT_WORDS:
        j += 1
    after = tokens[j : j + 4]
    if after[:1] == ["dans"] and _SOON_PERIODS.intersection(after[1:]):
        return True  # "17 dans un mois"
    if after[:1] == ["en"] and len(after) > 1 and after[1] in _MONTHS and j == i + 1:
        return True  # "18 en mars", but not "16 ans en mars j'aurai 17"
    return any(" ".join(after[:n]) in _SOON_AFTER for n in (1, 2, 3))


def _has_unit(tokens: list[str], i: int) -> bool:
    return any(" ".join(tokens[i + 1 : i + 1 + n]) in _UNITS for n in (1, 2))


def _candidates(
    tokens: list[str], today: datetime.date, clauses: list[int] | None = None
) -> list[tuple[int, bool, bool]]:
    """(value, has_unit, soon) of every number that is not denied or corrected away."""
    found: list[tuple[int, int, bool, bool]] = []  # (token index, value, unit, soon)
    headed: set[int] = set()  # "j'ai 18": an age by its head, when no number has a unit
    last_correction = -1
    for i, token in enumerate(tokens):
        if _CORRECTION_TAILS.end_at(tokens, i + 1) and found:
            last_correction = i
        if not token.isdecimal() or len(token) > 4:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following in _MONTHS or following in _SOON_PERIODS:
            continue  # "12 mars": a birthday without a year; "dans 2 mois"
        if _NEGATOR_TAILS.end_at(tokens, i) and not _UNSURE_TAILS.end_at(tokens, i):
            continue  # "pas 20", but not "ché pas 20"
        value = int(token)
        if len(token) == 4:
            in_past = today.year - 100 <= value <= today.year
            found.append((i, today.year - value - 1 if in_past else -1, False, False))
        elif len(token) == 2 and token.startswith("0"):
            found.append((i, -1, False, False))
        else:
            found.append((i, value, _has_unit(tokens, i), _is_soon(tokens, i, clauses)))
            if not found[-1][2] and _HEAD_TAILS.end_at(tokens, i) and 10 <= value <= 99:
                headed.add(i)
    # "20 enfin 21": a correction drops the numbers before it, if one follows.
    if any(i > last_correction for i, *_ in found):
        found = [c for c in found if c[0] > last_correction]
    if not any(unit for _, _, unit, _ in found):
        found = [(i, value, i in headed, soon) for i, value, _, soon in found]
    return [(value, unit, soon) for _, value, unit, soon in found]


def parse_age(text: str, today: datetime.date) -> int | None:
    """Age in years (5..99) from "17", "jai 19ans", "dix-sept", "12/03/2006", "2006"...

    Birth year alone gives the lower of the two possible ages. A denied number
    ("pas 20") is ignored and a correction ("20 enfin 21") wins.
    """
    if not isinstance(text, str) or not isinstance(today, datetime.date):
        return None
    # Keep separators for dates: fold accents/case but not punctuation.
    folded = strip_marks(text[:SHORT_ANSWER_MAX_CHARS])
    folded = re.sub(r"[^\S\n]+", " ", folded)
    found, age = _age_from_date(folded, today)
    if found:
        return _in_range(age)
    folded = _DECIMAL_RE.sub(r"\1", folded)  # "17,5" -> 17
    tokens, clauses = _clause_tokens(folded)
    candidates = _candidates(tokens, today, clauses)

    with_unit = [c for c in candidates if c[1]]
    if with_unit:
        value, _, soon = with_unit[0]
        return _in_range(value - 1 if soon else value)
    plain = {c[0] for c in candidates if not c[2]}
    if len(plain) == 1:
        return _in_range(next(iter(plain)))
    if plain:
        return None
    later = {c[0] for c in candidates if c[2]}
    if len(later) == 1:
        return _in_range(next(iter(later)) - 1)
    return None


def parse_stated_age(text: str, today: datetime.date) -> int | None:
    """An age stated with its unit inside any message ("j'ai 19 ans"), else None.

    Stricter than parse_age: a bare number or a date is not enough outside
    the age question.
    """
    if not isinstance(text, str) or not isinstance(today, datetime.date):
        return None
    folded = _DECIMAL_RE.sub(r"\1", strip_marks(text[:SHORT_ANSWER_MAX_CHARS]))
    tokens, clauses = _clause_tokens(folded)
    candidates = _candidates(tokens, today, clauses)
    stated = {value for value, unit, soon in candidates if unit and not soon}
    # "19 ou 20 ans": another plausible age nearby makes it unclear.
    others = {value for value, _, _ in candidates if _in_range(value) is not None}
    if len(stated) != 1 or not others <= stated:
        return None
    return _in_range(next(iter(stated)))
