"""Age from an answer: "17", "jai 19ans", "dix-sept", "12/03/2006", "2006"."""

from __future__ import annotations

import calendar
import datetime
import re

from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, strip_marks

_MIN_AGE, _MAX_AGE = 5, 99

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "fevier": 2,
    "mars": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

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

_AGE_UNIT = r"(?:ans?|a|an|piges?|balais|berges|printemps|yo|y o|years?|yrs?)"
_NUM_RE = re.compile(
    r"(?<![0-9])([0-9]{1,4})(?![0-9])(?!\s*(?:" + _MONTH_ALT + r")\b)(\s*" + _AGE_UNIT + r"\b)?"
)
_DECIMAL_RE = re.compile(r"(?<![0-9.,/])([0-9]{1,2})[.,][0-9](?![0-9.,/])")
_BIENTOT_RE = re.compile(
    r"(?:bientot|presque|bentot|biento|prochainement|dans \w+ (?:mois|jours|semaines))\s*$"
)

_UNITS = {
    "zero": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
}
_TENS = {
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
}


def _french_number_words() -> dict[str, int]:
    """Map "dixsept", "vingtetun", "vingtun", "quatrevingtdixneuf"... (no spaces) to ints."""
    words: dict[str, int] = {}
    names = {v: k for k, v in _UNITS.items() if k != "une"}

    def below_20(n: int) -> list[str]:
        if n in names:
            return [names[n]]
        return ["dix" + names[n - 10]]

    for n in range(1, 100):
        forms: list[str] = []
        if n < 17:
            forms = [names[n]]
        elif n < 20:
            forms = below_20(n)
        elif n < 70:
            tens_word = next(k for k, v in _TENS.items() if v == n // 10 * 10)
            unit = n % 10
            if unit == 0:
                forms = [tens_word]
            elif unit == 1:
                forms = [tens_word + "etun", tens_word + "un"]
            else:
                forms = [tens_word + names[unit]]
        elif n < 80:
            rest = n - 60
            sub = below_20(rest)
            forms = ["soixante" + s for s in sub]
            if rest == 11:
                forms.append("soixanteetonze")
            forms.append("septante" + ("" if rest == 10 else names[n - 70]))
        else:
            rest = n - 80
            bases = ["quatrevingt", "quatrevingts", "huitante", "octante"]
            if rest == 0:
                forms = list(bases)
            else:
                sub = below_20(rest) if rest < 20 else []
                forms = ["quatrevingt" + s for s in sub]
                if n >= 90:
                    forms.append("nonante" + ("" if n == 90 else names[n - 90]))
                else:
                    forms += ["huitante" + names[rest], "octante" + names[rest]]
        for form in forms:
            words.setdefault(form, n)
    return words


_FRENCH_NUMBERS = _french_number_words()
_NUMBER_WORD_TOKENS = frozenset(
    list(_UNITS) + list(_TENS) + ["et", "vingts", "septante", "huitante", "octante", "nonante"]
)


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


def parse_age(text: str, today: datetime.date) -> int | None:
    """Age in years (5..99) from "17", "jai 19ans", "dix-sept", "12/03/2006", "2006"...

    Birth year alone gives the lower of the two possible ages.
    """
    if not isinstance(text, str) or not isinstance(today, datetime.date):
        return None
    # Keep separators for dates: fold accents/case but not punctuation.
    folded = strip_marks(text[:SHORT_ANSWER_MAX_CHARS])
    folded = re.sub(r"[^\S\n]+", " ", folded)
    found, age = _age_from_date(folded, today)
    folded = _DECIMAL_RE.sub(r"\1", folded)  # "17,5" -> 17
    if found:
        return _in_range(age)

    norm = normalize(folded)
    # (value, has_unit, after_bientot)
    candidates: list[tuple[int, bool, bool]] = []
    for m in _NUM_RE.finditer(norm):
        digits = m[1]
        value = int(digits)
        bientot = bool(_BIENTOT_RE.search(norm[: m.start()]))
        if len(digits) == 4:
            if today.year - 100 <= value <= today.year:
                candidates.append((today.year - value - 1, False, False))
            else:
                candidates.append((-1, False, False))
            continue
        if len(digits) == 2 and digits.startswith("0"):
            candidates.append((-1, False, False))
            continue
        candidates.append((value, bool(m[2]), bientot))

    # French number words, e.g. "dix sept ans", "vingt et un".
    tokens = norm.split()
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and (
            tokens[j] in _NUMBER_WORD_TOKENS or tokens[j] in _FRENCH_NUMBERS
        ):
            j += 1
        if j > i:
            run = tokens[i:j]
            while run and run[-1] == "et":
                run = run[:-1]
            while run and run[0] == "et":
                run = run[1:]
            key = "".join(run).replace("vingts", "vingt")
            value = _FRENCH_NUMBERS.get(key)
            if value is not None and value >= _MIN_AGE:
                has_unit = j < len(tokens) and re.fullmatch(_AGE_UNIT, tokens[j]) is not None
                bientot = bool(_BIENTOT_RE.search(" ".join(tokens[:i])))
                candidates.append((value, has_unit, bientot))
            i = j
        else:
            i += 1

    with_unit = [c for c in candidates if c[1]]
    if with_unit:
        value, _, bientot = with_unit[0]
        return _in_range(value - 1 if bientot else value)
    plain = {c[0] for c in candidates if not c[2]}
    if len(plain) == 1:
        return _in_range(next(iter(plain)))
    if plain:
        return None
    later = {c[0] for c in candidates if c[2]}
    if len(later) == 1:
        return _in_range(next(iter(later)) - 1)
    return None
