"""Pure answer parsers for the intake flow.

Young people write on phones: typos, SMS-speak, slang, emoji, no accents,
extra spaces. Every public function here is pure, synchronous and total: it
accepts any ``str`` (arbitrary unicode, huge strings) and never raises.
Work is capped by only looking at a bounded prefix of the input where that
makes sense (short answers), see the ``_*_MAX_CHARS`` constants.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from rapidfuzz.distance import Levenshtein

__all__ = [
    "NEEDS",
    "SLOTS",
    "ContactAnswer",
    "normalize",
    "parse_age",
    "parse_availability",
    "parse_contact",
    "parse_first_name",
    "parse_need",
    "parse_yes_no",
]

# Caps on how much input each parser looks at.
_SHORT_ANSWER_MAX_CHARS = 500  # age, contact, need, availability, yes/no
_NAME_MAX_CHARS = 300
_NAME_MAX_LEN = 40

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u2018\u201b\u02bc\u02b9\u0060\u00b4\u2032\uff07"
_EXTRA_FOLD = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)
_NON_WORD_RE = re.compile(r"[\W_]+")
_SQUEEZE_RE = re.compile(r"([^\W\d_])\1{2,}")


def _strip_marks(text: str) -> str:
    """NFKD-decompose, casefold and drop combining marks (accents)."""
    decomposed = unicodedata.normalize("NFKD", text).casefold().translate(_EXTRA_FOLD)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Lowercase, strip accents, turn emoji/punctuation/apostrophes into spaces.

    "J'ai 18 ANS 😊 !!" -> "j ai 18 ans". Whitespace is collapsed and trimmed.
    """
    if not isinstance(text, str) or not text:
        return ""
    return _NON_WORD_RE.sub(" ", _strip_marks(text)).strip()


def _squeeze(text: str) -> str:
    """Collapse letters repeated 3+ times ("ouiiii" -> "oui"); digits untouched."""
    return _SQUEEZE_RE.sub(r"\1", text)


def _norm(text: str, limit: int) -> str:
    """Normalised and squeezed prefix of ``text``."""
    if not isinstance(text, str):
        return ""
    return _squeeze(normalize(text[:limit]))


# ---------------------------------------------------------------------------
# Yes / no
# ---------------------------------------------------------------------------

_YES_EMOJI = ("👍", "👌", "✅", "🆗", "✔", "☑", "💯", "🙆", "🤙")
_NO_EMOJI = ("👎", "❌", "🙅", "✖", "⛔", "🚫", "❎")

# (phrase regex, polarity, weak). Weak phrases only count when alone or
# followed exclusively by other phrases / neutral words.
_YES_PHRASES = (
    r"ou+i+",
    r"ou+a+i+s*",
    r"ou+e+s*",
    r"ou+a+i*p+",
    r"ou+e+p+",
    r"w+i+",
    r"w+e+s*",
    r"wai+s*",
    r"u+i+",
    r"owi+",
    r"yes+",
    r"ye+a+h*",
    r"ye+p+",
    r"yu+p+",
    r"ya+",
    r"ok+",
    r"okok",
    r"o+k+a+y+",
    r"oki+",
    r"okidoki",
    r"okay",
    r"dac+",
    r"dak",
    r"d ac+",
    r"d ac+ord",
    r"dac+ord",
    r"d ac+or",
    r"dac+or",
    r"dacodac",
    r"grave",
    r"exact",
    r"exacte",
    r"exactement",
    r"exactos",
    r"bien sur",
    r"biensur",
    r"bien sure",
    r"evidem+ent",
    r"car+ement",
    r"volontiers",
    r"c bon",
    r"c est bon",
    r"cest bon",
    r"c ok",
    r"c est ok",
    r"ca marche",
    r"sa marche",
    r"ca roule",
    r"ca me va",
    r"ca me convient",
    r"ca joue",
    r"ca va",
    r"vas y",
    r"vasy",
    r"certainement",
    r"absolument",
    r"tout a fait",
    r"avec plaisir",
    r"pourquoi pas",
    r"je veux bien",
    r"jveux bien",
    r"j veux bien",
    r"voila",
    r"c est ca",
    r"c ca",
    r"cest ca",
    r"affirmatif",
    r"sure",
    r"of course",
    r"tkt",
    r"pas de souc(?:i|is|y)",
    r"pas d souc(?:i|is)",
    r"pas de (?:probleme|prob|pb|blem|soucis)",
    r"sans (?:probleme|souci|soucis)",
    r"aucun (?:probleme|souci)",
    r"c est juste",
    r"c vrai",
    r"c est vrai",
    r"c est correct",
    r"je confirme",
    r"jconfirme",
    r"bien vu",
    r"si tu veux",
    r"comme tu veux",
    r"si vous voulez",
    r"yessai",
    r"ofc",
    r"c clair",
    r"c est clair",
    r"clairement",
    r"azy",
    r"vazy",
)
_YES_WEAK = (
    r"si",
    r"k",
    r"kk",
    r"vrai",
    r"juste",
    r"top",
    r"super",
    r"go",
    r"parfait",
    r"genial",
    r"nickel",
    r"correct",
    r"confirme",
    r"valide",
    r"yep",
)
_NO_PHRASES = (
    r"no+n+",
    r"na+n+",
    r"nn",
    r"no+",
    r"nop+e?",
    r"na+h",
    r"ni+et",
    r"nein",
    r"pas du tout",
    r"pas vraiment",
    r"pas trop",
    r"pas specialement",
    r"pas forcement",
    r"pas encore",
    r"jamais",
    r"absolument pas",
    r"surtout pas",
    r"certainement pas",
    r"pas question",
    r"hors de question",
    r"pas d ac+ord",
    r"pas dac+ord",
    r"pas ok",
    r"c est pas ca",
    r"c pas ca",
    r"cest pas ca",
    r"c est faux",
    r"c faux",
    r"negatif",
    r"pas moi",
    r"no way",
    r"ca me va pas",
    r"ca va pas",
    r"c est pas bon",
    r"c pas bon",
    r"pas bon",
    r"pas envie",
    r"je veux pas",
    r"jveux pas",
    r"j veux pas",
    r"veux pas",
    r"je ne veux pas",
    r"pas maintenant",
    r"non merci",
    r"mm non",
)
_NO_WEAK = (r"pas", r"faux", r"n")
_NEUTRAL = (
    r"merci",
    r"merci beaucoup",
    r"stp",
    r"svp",
    r"s il te plait",
    r"s il vous plait",
    r"lol",
    r"mdr",
    r"ptdr",
    r"xd",
    r"frere",
    r"frero",
    r"mec",
    r"bro",
    r"wesh",
    r"wsh",
    r"bah",
    r"ba",
    r"ben",
    r"bon",
    r"euh",
    r"heu",
    r"hmm?",
    r"mmh?",
    r"hum",
    r"ah",
    r"oh",
    r"eh",
    r"alors",
    r"mais",
    r"moi",
    r"je pense que",
    r"je crois que",
    r"je dirais",
    r"je pense",
    r"je crois",
    r"bien sur",
    r"hein",
    r"madame",
    r"monsieur",
    r"biensur",
    r"haha",
    r"ahah",
    r"hihi",
    r"et toi",
)


def _phrase_group(name: str, phrases: tuple[str, ...]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?P<" + name + ">" + "|".join(ordered) + ")"


_YN_HEDGE = (
    r"|bof|jsp|jsais pas|je sais pas|sais pas|chais pas|peut etre|ptet|mouais|pas sur|hesite"
)
_YN_YES_CONFLICT_RE = re.compile(
    r"\b(?:non|nan|nn|pas|jamais|mais|nope|plus|ni" + _YN_HEDGE + r")\b"
)
_YN_NO_CONFLICT_RE = re.compile(r"\b(?:oui|ouais|ouai|mais|yes|si|ok" + _YN_HEDGE + r")\b")


_YN_GROUP_RES = tuple(
    re.compile(_phrase_group(name, phrases) + r"(?: |$)")
    for name, phrases in (
        ("no", _NO_PHRASES),
        ("yes", _YES_PHRASES),
        ("neutral", _NEUTRAL),
        ("yesweak", _YES_WEAK),
        ("noweak", _NO_WEAK),
    )
)


def _longest_match(text: str, pos: int) -> re.Match[str] | None:
    """Longest phrase match at ``pos`` (alternation is not longest-first across groups)."""
    best: re.Match[str] | None = None
    for pattern in _YN_GROUP_RES:
        m = pattern.match(text, pos)
        if m and (best is None or m.end() > best.end()):
            best = m
    return best


def parse_yes_no(text: str) -> bool | None:
    """True for yes ("ouais", "grave", "👍"...), False for no ("nan", "pas du tout"), else None."""
    if not isinstance(text, str):
        return None
    raw = text[:_SHORT_ANSWER_MAX_CHARS]
    emoji_yes = any(e in raw for e in _YES_EMOJI)
    emoji_no = any(e in raw for e in _NO_EMOJI)
    norm = _squeeze(normalize(raw))

    strong: set[bool] = set()
    weak: set[bool] = set()
    pos = 0
    while pos < len(norm):
        m = _longest_match(norm, pos)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "yes":
            strong.add(True)
        elif kind == "no":
            strong.add(False)
        elif kind == "yesweak":
            weak.add(True)
        elif kind == "noweak":
            weak.add(False)
        pos = m.end()
    rest = norm[pos:].strip()

    if emoji_yes:
        (strong if not norm else weak).add(True)
    if emoji_no:
        (strong if not norm else weak).add(False)

    if rest:
        # Something else follows: weak words do not count, strong ones must
        # not be contradicted or hedged.
        polarities = strong
        if len(polarities) != 1:
            return None
        value = next(iter(polarities))
        conflict = _YN_YES_CONFLICT_RE if value else _YN_NO_CONFLICT_RE
        if conflict.search(rest):
            return None
        return value
    polarities = strong | weak
    if len(polarities) != 1:
        return None
    return next(iter(polarities))


# ---------------------------------------------------------------------------
# First name
# ---------------------------------------------------------------------------


def _fold_char(c: str) -> str:
    """One-to-one fold of a character (lowercase, no accent, apostrophes unified)."""
    if c in _APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFKD", c)[:1] or c
    low = base.lower()[:1] or base
    return low


_NAME_GREETING_RE = re.compile(
    r"^(?:salut|slt|bonjour|bjr|bonsoir|bsr|coucou|cc|hello|hey|hi|yo|wesh|wsh|re|ok|oui"
    r"|ouais|alors|bah|ben|euh|bien sur|enchante|enchantee|moi aussi)(?:[\s,!.]+|$)"
)
_NAME_PREFIX_RE = re.compile(
    r"^(?:"
    r"(?:moi\s*,?\s*)?(?:je\s*m\s*'?\s*|j\s*'?\s*m\s*'?\s*|jm\s*'?\s*)a?p{1,2}e+l{1,2}e?s?\b"
    r"|(?:mon\s+|le\s+)?(?:prenom|prnom|pr[eé]nom|nom|blaze|pseudo|surnom|name)"
    r"(?:\s*(?:c\s*'?\s*est|cest|c|est|ce|is))?"
    r"|on\s+m\s*'?\s*a?p+e+l+e?s?\b"
    r"|(?:tu\s+peux\s+|vous\s+pouvez\s+|tu\s+peux\s+juste\s+)?m\s*'?\s*a?p+e+l+e+r\b"
    r"|a?p+e+l+e?[zs]?\s*-?\s*moi\b"
    r"|moi\s*,?\s*(?:c\s*'?\s*est|cest|c|ces|se)\b"
    r"|moi\b"
    r"|(?:c\s*'?\s*est|cest|c|ces|ce\s+est)\b"
    r"|je\s+suis|jsuis|j\s*'?\s*suis|chui|chuis|jsui|i\s*'?\s*m|my\s+name\s+is"
    r")\s*(?:[:=,\-]\s*|\s)"
)
_NAME_CUT_RE = re.compile(
    r"\s+(?:et\s+(?:toi|vous|t\s*'?\s*es|tu)\b|et\b|ou\b|mais\b|pour\b|sinon\b|aka\b|alias\b|j\s*'?\s*ai\b|jai\b|g\b|merci\b|stp\b"
    r"|svp\b|lol\b|mdr\b|ptdr\b|xd\b|voila\b|enchante|j\s*'?\s*habite|jhabite|je\s+vis"
    r"|j\s*'?\s*suis\b|je\s+suis\b|jsuis\b|de\s+(?:bar|verdun|stenay|commercy)|\d)"
    r"|[,;!?\n\r\t()\[\]{}<>|/\\\"“”«»:]|\s-\s|\.(?:\s|$)|\s+:"
)
_NAME_LINK_RE = re.compile(
    r"https?:|www\.|@|\b[\w-]+\.(?:com|fr|net|org|io|be|ly|me|gg|tv|co|info|eu|app|lu|de)\b",
)
_NAME_STOPWORDS = frozenset(
    """
    je j tu il elle on nous vous ils elles le la les un une des du de d et ou mais donc
    pas ne n que qui quoi pourquoi comment oui non ouais nan ok okay salut bonjour bonsoir
    coucou hello merci stp svp jsp sais sait veux peux suis es est ai as a moi toi rien
    personne anonyme inconnu inconnue test lol mdr ptdr xd bot robot stop aide help hein
    bien mal ca cava va jsuis chui dire nom prenom pseudo secret aucun aucune sur avec pour
    dans mon ma mes ton ta tes son sa ses c cest y en the my name is what no yes quoi
    pk pq prq arrete jamais voila bah ben euh bof mec frere wesh wsh slt cc bjr ah oh eh
    sa se s m t l qu si ici la bas lui leur vrai faux deja encore toujours envie
    besoin cherche taf boulot travail formation
    """.split()
)
_LATIN_VOWELS = frozenset("aeiouy")


def _capitalise(word: str) -> str:
    parts = re.split(r"([\-' ])", word)
    out = []
    for part in parts:
        if part in {"-", "'", " "} or not part:
            out.append(part)
        elif part.islower() or part.isupper():
            out.append(part[:1].upper() + part[1:].lower())
        else:
            out.append(part[:1].upper() + part[1:])
    return "".join(out)


def _is_request(text: str) -> bool:
    """A request (stop, help...) typed at the name step is not a name."""
    from bot.nlu.reading import default_reader  # the reading package builds on these parsers

    return bool(default_reader().requests(text, "ask_name"))


def parse_first_name(text: str) -> tuple[str | None, str | None]:
    """Extract a first name: ``(name, None)`` or ``(None, reason)``.

    reason is one of "empty", "too_long", "digits", "link", "not_a_name".
    """
    if not isinstance(text, str):
        return None, "empty"
    raw = unicodedata.normalize("NFC", text[: _NAME_MAX_CHARS * 4]).strip()
    if not any(c.isalnum() for c in raw[:_NAME_MAX_CHARS]):
        return None, "empty"
    if len(raw) > _NAME_MAX_CHARS:
        return None, "too_long"
    low = raw.casefold()
    if _NAME_LINK_RE.search(low):
        return None, "link"
    if not any(c.isalpha() for c in raw):
        return None, "digits"
    if _is_request(raw):
        return None, "not_a_name"

    folded = "".join(_fold_char(c) for c in raw)
    start = 0
    for _ in range(4):
        rest = folded[start:]
        intro = _NAME_PREFIX_RE.match(rest)
        m = _NAME_GREETING_RE.match(rest) or intro
        if m is None or m.end() == 0:
            break
        remaining = rest[m.end() :]
        if not any(c.isalnum() for c in remaining):
            if m is intro:
                return None, "empty"  # "je m'appelle 😊"
            break
        start += m.end()
    while start < len(folded) and not folded[start].isalnum():
        start += 1
    cut = _NAME_CUT_RE.search(folded, start)
    end = cut.start() if cut else len(raw)
    candidate = raw[start:end]

    # Keep letters, marks, digits, hyphens, apostrophes; everything else is a space.
    chars = []
    for c in candidate:
        if c in _APOSTROPHES:
            chars.append("'")
        elif c == "-" or c.isalnum() or unicodedata.category(c).startswith("M"):
            chars.append(c)
        else:
            chars.append(" ")
    words = []
    for w in "".join(chars).split():
        w = w.strip("-'")
        if w:
            words.append(w)
    if not words:
        return None, "empty"
    if any(any(ch.isdigit() for ch in w) for w in words):
        return None, "digits"
    while len(words) > 1 and len(words[-1]) == 1:
        words.pop()  # trailing initial: "Lina M."
    if len(words) > 4:
        return None, "not_a_name"
    folded_words = [normalize(w.replace("'", "")) for w in words]
    for fw in folded_words:
        for token in fw.split():
            if token in _NAME_STOPWORDS:
                return None, "not_a_name"
    letters = normalize("".join(words)).replace(" ", "")
    if len(letters) < 2 or len(set(letters)) == 1 or len("".join(words)) < 2:
        return None, "not_a_name"
    for fw in folded_words:
        vowelless = fw.isascii() and fw.isalpha() and not (set(fw) & _LATIN_VOWELS)
        if vowelless and (len(fw) > 2 or len(folded_words) == 1):
            return None, "not_a_name"  # keyboard mash: "qsdfgh"
    name = _capitalise(" ".join(words))
    if len(name) > _NAME_MAX_LEN:
        return None, "too_long"
    return name, None


# ---------------------------------------------------------------------------
# Age
# ---------------------------------------------------------------------------

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
    folded = _strip_marks(text[:_SHORT_ANSWER_MAX_CHARS])
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


# ---------------------------------------------------------------------------
# Contact
# ---------------------------------------------------------------------------


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

_NAME_INTRO_RE = re.compile(r"\b(?:je m|j m|jm|moi je m)\s?ap+el+e?s?\b")
_CALL_RE = re.compile(
    r"\b(?:ap+el+e?[rsz]?|ap+el+e?[sz]? moi|m ap+el+e?[rzs]?|appel|appels|telephoner|telephonez"
    r"|coup de fil|coup de tel|coup de phone|vocal|call|bigophone|rappel+e?[rsz]?(?: moi)?"
    r"|me rappeler)\b"
    r"|\b(?:par|au|en|un|via|plutot) (?:tel|tele|tph|telephone|phone|fil)\b"
    r"|(?<!\bmon )(?<!\bton )(?<!\bde )(?<!\bd )(?<!\ble )(?<!\bun )\btel$"
)
_SMS_RE = re.compile(
    r"\b(?:sms|texto|textos|txt|message|messages|msg|mess|mssg|ecri[st] moi|ecrivez moi"
    r"|m ecrire|par ecrit|texte moi|textez moi)\b"
)
_NO_CALL_RE = re.compile(
    r"\b(?:pas (?:d |de )?(?:appel|appels|coup de fil|coups de fil|ap+el+e[rz]?)"
    r"|pas (?:par|au) (?:tel|telephone|appel|phone)|pas (?:etre |d etre )?ap+el+ee?"
    r"|pas qu on m ap+el+e|(?:m )?ap+el+e[sz]? pas|m ap+el+e[rz]? pas"
    r"|deteste (?:le telephone|telephoner|les appels|qu on m appelle|etre appelee?)"
    r"|aime pas (?:le telephone|telephoner|les appels|qu on m appelle|etre appelee?)"
    r"|(?:reponds?|decroche|decroches) (?:pas|jamais|presque jamais|rarement)"
    r"(?: (?:aux appels|au tel|au telephone|quand on m appelle))?)\b"
)
_NO_SMS_RE = re.compile(r"\bpas (?:de |d |par )?(?:sms|texto|textos|message|messages|msg)\b")
_CHAT_RE = re.compile(
    r"\b(?:ici|chat|tchat|messenger|insta|instagram|facebook|fb|messagerie|whatsapp|whatsap"
    r"|telegram|snap|snapchat|conversation|discussion|discord)\b"
    r"|^(?:comme ca|comme maintenant|pareil|la|par la|ok ici|continue|on continue comme ca)$"
)
_NO_CHAT_RE = re.compile(
    r"\bpas (?:ici|sur (?:le chat|ce chat|messenger|insta)|par (?:ici|le chat|chat|messenger))\b"
)


def _e164(number: phonenumbers.PhoneNumber) -> str | None:
    if phonenumbers.number_type(number) not in _PHONE_TYPES_OK:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _match_phone(text: str) -> tuple[int, str] | None:
    """First valid number found by libphonenumber's matcher (region FR)."""
    matcher = phonenumbers.PhoneNumberMatcher(
        text, "FR", leniency=phonenumbers.Leniency.VALID, max_tries=20
    )
    for match in matcher:
        e164 = _e164(match.number)
        if e164 is not None:
            return match.start, e164
    return None


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
    norm = _NAME_INTRO_RE.sub(" ", norm)
    no_call = bool(_NO_CALL_RE.search(norm))
    no_sms = bool(_NO_SMS_RE.search(norm))
    cleaned = _NO_SMS_RE.sub(" ", _NO_CALL_RE.sub(" ", norm))
    call = bool(_CALL_RE.search(cleaned)) or no_sms
    sms = bool(_SMS_RE.search(cleaned)) or no_call
    if call and not sms:
        return "call"
    if sms and not call:
        return "sms"
    return None


def parse_contact(text: str) -> ContactAnswer:
    """Phone (E.164), email (lower-cased) or "chat", plus a call/SMS preference."""
    if not isinstance(text, str):
        return ContactAnswer(None, None, None)
    raw = unicodedata.normalize("NFKC", text[:_SHORT_ANSWER_MAX_CHARS])
    raw = re.sub(r"(?<=\w) ?@ ?(?=\w)", "@", raw)  # "lina.m @ gmail.com"
    email_match = next((m for m in _EMAIL_RE.finditer(raw) if ".." not in m.group(0)), None)
    masked = _EMAIL_RE.sub(lambda m: " " * len(m.group(0)), raw)
    phone = _find_phone(masked)
    norm = _squeeze(normalize(masked))
    preference = _preference(norm)

    if phone is not None and (email_match is None or phone[0] <= email_match.start()):
        return ContactAnswer("phone", phone[1], preference)
    if email_match is not None:
        return ContactAnswer("email", email_match.group(0).lower(), None)
    attempt = _PHONE_ATTEMPT_RE.search(masked)
    if attempt is not None and sum(c.isdigit() for c in attempt.group(0)) >= 6:
        return ContactAnswer(None, None, preference)  # looks like a number, but invalid
    if len(norm.split()) <= 12 and _CHAT_RE.search(norm) and not _NO_CHAT_RE.search(norm):
        return ContactAnswer("chat", None, None)
    return ContactAnswer(None, None, preference)


# ---------------------------------------------------------------------------
# Need
# ---------------------------------------------------------------------------

NEEDS = ("job", "training", "mobility", "housing", "health", "unsure", "other")

_NEED_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "other",
        re.compile(
            r"\b(?:titre de sejour|permis de sejour|carte de sejour|carte d identite|papiers"
            r"|administratif|administrative|administratives|demarches?|argent|thune|fric"
            r"|aide financiere|aides financieres|budget|dettes?|cni|passeport|justice|avocat"
            r"|rsa|allocations?|caf|bourse|des sous|creche|nounou|garde d enfants?)\b"
        ),
    ),
    (
        "job",
        re.compile(
            r"\b(?:taf+e?|taf+er|boul+ot|boulo|travail|travaux|travailler|travaille|bos+er|bos+e"
            r"|job|jobs|jobi|jobine|emploi|emplois|cdi|cdd|interim|interimaire|interimaires"
            r"|contrat|embauche|embaucher|recrut\w*|cv|lettre de motivation|entretiens?"
            r"|saisonniers?|saisonniere|vendanges?|service civique|salaire|paye|patron"
            r"|cej|contrat d engagement|garantie jeunes?|france travail|pole emploi|chomage"
            r"|gagner (?:ma vie|de l argent|des sous|de la thune|du fric|des thunes))\b"
        ),
    ),
    (
        "training",
        re.compile(
            r"\b(?:formation|formations|former|me former|apprentissage|apprenti|apprentie"
            r"|apprentis|alternance|alternant|alternante|etudes|etude|etudier|reprendre les cours"
            r"|retourner (?:a l ecole|en cours)|ecole|lycee|fac|universite|bac|cap|bts|bep|dut"
            r"|licence|diplome|diplomes|diplomee?|diplomant|certificat|certification"
            r"|qualification|qualifiante?|orientation|m orienter|stage|stages|remise a niveau"
            r"|epide|e2c|deuxieme chance|des cours|cours du soir|caces|bafa|psc1|sst|haccp"
            r"|titre pro|titre professionnel)\b"
        ),
    ),
    (
        "mobility",
        re.compile(
            r"\b(?:permis|code|voiture|caisse|bagnole|scooter|scoot|moto|mobylette|velo|transports?"
            r"|bus|(?<!\ben )train|me deplacer|deplacer|deplacements?|bouger|mobilite|conduire|conduite"
            r"|auto ecole|autoecole|bsr|permis am|covoiturage|vehicule)\b"
        ),
    ),
    (
        "housing",
        re.compile(
            r"\b(?:logement|logements|loger|me loger|appart|apart|appartement|appartements"
            r"|hebergement|heberger|foyer|fjt|studio|loyer|coloc|colocation|un toit|demenager"
            r"|demenagement|chambre|apl|maison a moi|chez moi a moi"
            r"|(?:partir|bouger|sortir|quitter|me barrer) (?:de chez|le domicile|la maison)\w*)\b"
        ),
    ),
    (
        "health",
        re.compile(
            r"\b(?:sante|psy|psychologue|psychiatre|psychologique|medecin|medecins|docteur"
            r"|mutuelle|moral|stress|stresse|stressee|angoisse|angoisses|anxiete|anxieux|anxieuse"
            r"|depression|deprime|deprimee|depressif|depressive|malade|maladie|soins|soigner"
            r"|dentiste|lunettes|css|cmu|secu|securite sociale|carte vitale|addiction|drogue"
            r"|alcool|mal etre|je vais pas bien|va pas bien|sommeil|therapie"
            r"|handicap|enceinte|grossesse|hopital|arreter de fumer|tabac|clope|cannabis|shit"
            r"|beuh)\b"
        ),
    ),
)
_UNSURE_RE = re.compile(
    r"\b(?:jsp|jsais pas|j sais pas|je sais pas|je ne sais pas|je sais plus|je ne sais plus"
    r"|sais pas|sai pas|chais pas|chai pas|chepa|chaipa|jsai pa|jsai pas|sais po|ne sais"
    r"|aucune idee|aucune id|pas d idee|pas trop d idee|aucun idee|bof|je vois pas|j hesite"
    r"|jhesite|hesite|pas sur|pas sure|on verra|je verrai|un peu de tout|rien de special"
    r"|rien de precis|nsp|idk|je suis perdu|je suis perdue|suis perdu|suis perdue|chui perdu"
    r"|chui perdue|sais pas trop|je ne sais|ch sais pas|chsais pas|sais pa|ch ai pas)\b"
)
# Only when they are (almost) the whole answer.
_UNSURE_SHORT_RE = re.compile(
    r"^(?:\w+ )?(?:tout|rien|de tout|euh|ben|pas vraiment|a voir|peut etre|ptet|ptete|ptetre"
    r"|on verra bien|rien de tout ca|pas d idee)(?: \w+)?$"
)
_SECTOR_RE = re.compile(
    r"\b(?:vente|vendeu(?:r|se)|commerce|caissiere?|cuisine|cuisinier|cuisiniere|restauration"
    r"|serveur|serveuse|hotellerie|coiffure|coiffeu(?:r|se)|esthetique|mecanique|mecanicien"
    r"|batiment|btp|macon|maconnerie|plomberie|plombier|electricite|electricien|menuiserie"
    r"|menuisier|peinture|peintre|logistique|manutention|magasinier|cariste|preparateur de commandes"
    r"|usine|industrie|soudure|soudeur|informatique|animation|animateur|animatrice"
    r"|aide a la personne|aide a domicile|aide soignante?|auxiliaire de vie|agriculture|agricole"
    r"|espaces verts|paysagiste|nettoyage|proprete|securite|boulangerie|boulanger|boucherie"
    r"|boucher|patisserie|transport routier|chauffeur|livreur|livraison|armee|militaire"
    r"|gendarmerie|pompier)\b"
)
_FUNCTION_WORDS = frozenset(
    """
    je j de un une le la les des pour mon ma mes avec pas besoin aide veux voudrais cherche
    faire suis ai et a en du au d l m me moi sur dans qui que c est ca trouver avoir etre t
    il elle on nous vous tu aimerais voudrai jveux jsuis jai chercher plus peu mais ou y
    i need want help the to my a an some
    """.split()
)
_NEED_NEGATION_RE = re.compile(r"\bpas besoin (?:de|d)(?: (?:un|une|le|la|les|d))? $")


def parse_need(text: str) -> str | None:
    """Main need in NEEDS; earliest concrete mention wins, then "unsure", then "other"."""
    norm = _norm(text, _SHORT_ANSWER_MAX_CHARS)
    if not norm:
        return None
    best: tuple[int, int, str] | None = None
    for need, pattern in _NEED_PATTERNS:
        for m in pattern.finditer(norm):
            if _NEED_NEGATION_RE.search(norm[: m.start()]):
                continue
            key = (m.start(), -(m.end() - m.start()), need)
            if best is None or key < best:
                best = key
            break
    if best is not None:
        return best[2]
    if _SECTOR_RE.search(norm):
        return "job"  # "la vente", "mécanique": the field they want to work in
    if _UNSURE_RE.search(norm) or _UNSURE_SHORT_RE.match(norm):
        return "unsure"
    tokens = [t for t in norm.split() if any(c.isalpha() for c in t)]
    if len(tokens) >= 3:
        vowel_tokens = sum(1 for t in tokens if set(t) & _LATIN_VOWELS or not t.isascii())
        if vowel_tokens * 2 >= len(tokens) and any(t in _FUNCTION_WORDS for t in tokens):
            return "other"
    return None


# ---------------------------------------------------------------------------
# Availability
# ---------------------------------------------------------------------------

SLOTS = ("weekday_morning", "weekday_afternoon", "evening", "saturday", "any")

_MOR, _AFT, _EVE, _DAY = "MORNING", "AFTERNOON", "EVENING", "WHOLEDAY"
_WEEKDAY, _SAT, _SUN = "WEEKDAY", "SATURDAY", "SUNDAY"
_ANY, _NEG = "ANYTIME", "NEGATION"

_DAY_NAMES = {
    "lundi": _WEEKDAY,
    "mardi": _WEEKDAY,
    "mercredi": _WEEKDAY,
    "jeudi": _WEEKDAY,
    "vendredi": _WEEKDAY,
    "samedi": _SAT,
    "dimanche": _SUN,
}
_DAY_ABBREVIATIONS = {
    "lun": _WEEKDAY,
    "merc": _WEEKDAY,
    "mercre": _WEEKDAY,
    "ven": _WEEKDAY,
    "vend": _WEEKDAY,
    "vendr": _WEEKDAY,
    "sam": _SAT,
    "dim": _SUN,
    "samdi": _SAT,
}

# Phrase rewrites applied in order on the normalised text.
_AVAIL_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (
            r"\b(?:quand (?:tu veux|vous voulez|tu peux|vous pouvez|ca t arrange|ca vous arrange)"
            r"|tout le temps|n importe quand|nimporte quand|n imp quand|nimp quand|h24|24 ?h ?24"
            r"|24 ?h sur 24|24 ?sur ?24|7 ?j ?7|7 ?j sur 7|peu importe|peut importe|pas d importance"
            r"|comme tu veux|comme vous voulez|ca m est egal|m en fiche|m en fous|tous les jours"
            r"|toute la semaine et le (?:we|week end|weekend)|toujours dispo|toujours libre"
            r"|dispo tout le temps|libre tout le temps|je suis toujours|quand tu le souhaites"
            r"|a tout moment|n importe quel (?:jour|moment)|quand tu (?:le )?veux|whenever|anytime"
            r"|c est comme tu veux|ce que tu veux|tout me va|tout me convient|ca me va tout"
            r"|des que possible|asap|au plus vite|le plus tot possible|tout de suite|maintenant"
            r"|n importe|nimporte|tout(?= sauf))\b",
            _ANY,
        ),
        (r"\b(?:fois|jours?|heures?|demi journees?) par semaine\b", " "),
        (
            r"\b(?:apres (?:le|mon|les|l) ?(?:taf+|boulot|travail|job|cours|lycee|ecole|stage"
            r"|college|fac|formation|taff)|en fin de journee|fin de journee|fin d aprem"
            r"|fin d apres ?midi|en fin d apres ?midi|le soir|en soiree|soirs?|soirees?|la nuit"
            r"|nuits?|tard)\b",
            _EVE,
        ),
        (
            r"\b(?:apres ?midis?|apremidis?|ap ?m|apm|aprem\w*|aprm|aprs midi|aprem s|aprems"
            r"|a pm|apres mid|entre midi et deux)\b",
            _AFT,
        ),
        (r"\b(?:avant midi|dans la matinee|matinees?|matins?|matinal)\b", _MOR),
        (r"\b(?:le|ce|du|les|au) mat\b", _MOR),
        (r"\b(?:toute la journee|la journee|journees?|toute la journee)\b", _DAY),
        (
            r"\b(?:week ?ends?|weekends?|we|wk|wknd|wkend|fin de semaine|fins de semaine|le w e)\b",
            _SAT,
        ),
        (
            r"\b(?:en semaine|la semaine|semaine|jours de semaine|jours ouvres|du lundi au vendredi)\b",
            _WEEKDAY,
        ),
        (r"\b(?:midi)\b", _AFT),
        (
            r"\b(?:pas|sauf|jamais|hors|excepte|bosse|bosses|travaille|taffe|taf|occupe|occupee"
            r"|pris|prise|cours|indispo|indisponible)\b",
            _NEG,
        ),
    )
)
_HOUR_RE = re.compile(
    r"(?:\b(?P<prep>apres|a partir de|a partir d|des|avant|jusqu a|vers|entre|de|a)\s)?"
    r"\b(?P<h1>[0-9]{1,2})\s?(?:h|heures?|hr)(?:\s?[0-9]{2})?\b"
    r"(?:\s(?:a|et|jusqu a)?\s?(?P<h2>[0-9]{1,2})\s?(?:h|heures?|hr)(?:\s?[0-9]{2})?\b)?"
    r"|\b(?P<prep2>apres|a partir de|avant|vers)\s(?P<h3>[0-9]{1,2})\b(?! ?(?:ans|an|a|mois|jours|min))"
)


def _hour_buckets(start: int, end: int) -> list[str]:
    buckets: list[str] = []
    for hour in range(start, max(end, start + 1)):
        if 6 <= hour < 12:
            bucket = _MOR
        elif 12 <= hour < 17:
            bucket = _AFT
        elif 17 <= hour < 24:
            bucket = _EVE
        else:
            continue
        if bucket not in buckets:
            buckets.append(bucket)
    return buckets


def _hour_tokens(m: re.Match[str]) -> str:
    if m["h3"] is not None:
        prep, h1, h2 = m["prep2"], int(m["h3"]), None
    else:
        prep, h1 = m["prep"], int(m["h1"])
        h2 = int(m["h2"]) if m["h2"] is not None else None
    if h1 > 23 or (h2 is not None and h2 > 24):
        return " "
    if h2 is not None and h2 > h1:
        buckets = _hour_buckets(h1, h2)
    elif prep in {"apres", "a partir de", "a partir d", "des"}:
        buckets = _hour_buckets(h1, 24)
    elif prep in {"avant", "jusqu a"}:
        buckets = _hour_buckets(min(h1, 7), h1)
    else:
        buckets = _hour_buckets(h1, h1 + 1)
    return " " + " ".join(buckets) + " " if buckets else " "


def _day_kind(token: str) -> str | None:
    if token in _DAY_NAMES:
        return _DAY_NAMES[token]
    if token in _DAY_ABBREVIATIONS:
        return _DAY_ABBREVIATIONS[token]
    if token.endswith("s") and token[:-1] in _DAY_NAMES:
        return _DAY_NAMES[token[:-1]]
    if 5 <= len(token) <= 10 and token.isalpha():
        for name, kind in _DAY_NAMES.items():
            cutoff = 2 if len(name) >= 7 else 1
            if Levenshtein.distance(token, name, score_cutoff=cutoff) <= cutoff:
                return kind
    return None


_TIME_TOKENS = frozenset({_MOR, _AFT, _EVE, _DAY})
_CONNECTORS = frozenset({"et", "ou", "sinon", "mais", "ni", "puis", "voire", "donc", "aussi"})
_TOD_CONTINUATION = frozenset({"et", "ou", "le", "l", "la", "en", "aussi", "voire", "sinon"})


def _apply(kind: str, tod: str | None) -> set[str]:
    if kind == _SAT:
        return {"saturday"}
    if kind == _SUN:
        return set()
    if tod == _MOR:
        return {"weekday_morning"}
    if tod == _AFT:
        return {"weekday_afternoon"}
    if tod == _EVE:
        return {"evening"}
    return {"weekday_morning", "weekday_afternoon"}


def parse_availability(text: str) -> tuple[str, ...] | None:
    """Ordered subset of SLOTS, or None when not understood ("dimanche" alone -> None)."""
    if not isinstance(text, str):
        return None
    raw = re.sub(r"([0-9]{1,2})\s*[:hH]\s*([0-9]{2})", r"\1h\2", text[:_SHORT_ANSWER_MAX_CHARS])
    norm = _squeeze(normalize(raw))
    if not norm:
        return None
    norm = _HOUR_RE.sub(_hour_tokens, norm)
    for pattern, token in _AVAIL_REWRITES:
        norm = pattern.sub(f" {token} ", norm)

    positives: set[str] = set()
    excluded: set[str] = set()
    any_time = False
    pending: list[tuple[str, bool]] = []  # (day kind, negated)
    last_group: list[tuple[str, bool]] = []
    negate_left = 0  # tokens left in the current negation window
    broken = False  # a connector ("ou", "et"...) since the last day
    previous_was_tod = False

    def emit(kind: str, tod: str | None, negated: bool) -> None:
        if negated and kind != _SAT:
            # "pas le lundi": slots are not per day, so nothing to exclude.
            return
        (excluded if negated else positives).update(_apply(kind, tod))

    def flush() -> None:
        for kind, negated in pending:
            emit(kind, None, negated)
        pending.clear()

    for token in norm.split():
        negated = negate_left > 0
        negate_left = max(negate_left - 1, 0)
        if token == _NEG:
            negate_left = 3
            previous_was_tod = False
            continue
        if token == _ANY:
            any_time = True
            previous_was_tod = False
            continue
        kind = token if token in {_WEEKDAY, _SAT} else _day_kind(token)
        if kind is not None:
            pending.append((kind, negated))
            broken = False
            previous_was_tod = False
        elif token in _TIME_TOKENS:
            tod = None if token == _DAY else token
            if pending and not broken:
                for target, target_negated in pending:
                    emit(target, tod, target_negated)
                last_group = list(pending)
                pending.clear()
            else:
                flush()
                targets = last_group if previous_was_tod and last_group else [(_WEEKDAY, False)]
                for target, _ in targets:
                    (excluded if negated else positives).update(_apply(target, tod))
                last_group = targets
            previous_was_tod = True
            negate_left = 0
        elif token in _CONNECTORS:
            broken = True
            previous_was_tod = previous_was_tod and token in _TOD_CONTINUATION
        else:
            previous_was_tod = previous_was_tod and token in _TOD_CONTINUATION
    flush()

    result = positives - excluded
    if not result and (excluded or any_time):
        if excluded:
            result = {"weekday_morning", "weekday_afternoon", "evening", "saturday"} - excluded
        else:
            return ("any",)
    if not result:
        return None
    return tuple(slot for slot in SLOTS if slot in result)
