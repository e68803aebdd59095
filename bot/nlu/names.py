"""First names from an answer: "moi c'est Lina", "jm'appelle kevin"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.nlu.normalise import APOSTROPHES, LATIN_VOWELS, normalize, squeeze
from bot.nlu.wordlists import phrases
from bot.nlu.yesno import parse_yes_no

if TYPE_CHECKING:
    from bot.nlu.communes import CommuneIndex

_NAME_MAX_CHARS = 300
_NAME_MAX_LEN = 40


def _fold_char(c: str) -> str:
    """One-to-one fold of a character (lowercase, no accent, apostrophes unified)."""
    if c in APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFKD", c)[:1] or c
    low = base.lower()[:1] or base
    return low


# Between the words of a phrase: spaces, an apostrophe, a comma, a hyphen or nothing.
_SEP = r"[\s',\-]*"


def _flexible(items: Iterable[str]) -> str:
    """Alternation of phrases, longest first, tolerant of how words are joined."""
    ordered = sorted(set(items), key=lambda p: (-len(p), p))
    return "|".join(_SEP.join(re.escape(w) for w in p.split()) for p in ordered)


def _intro_phrases() -> list[str]:
    heads = phrases("names", "intro.call_heads")
    verbs = phrases("names", "intro.call_verbs")
    owners = phrases("names", "intro.label_owners")
    labels = phrases("names", "intro.labels")
    copulas = phrases("names", "intro.copulas")
    found = [f"{h} {v}" for h in heads for v in verbs]
    found += phrases("names", "intro.call_me") + phrases("names", "intro.self")
    for label in labels:
        for owner in ("", *owners):
            for copula in ("", *copulas):
                found.append(" ".join(w for w in (owner, label, copula) if w))
    return found


def _stated_intros() -> list[str]:
    """Intros that name the youth inside any sentence: "je m'appelle", "mon prénom c'est"."""
    heads = phrases("names", "intro.stated_heads")
    verbs = phrases("names", "intro.call_verbs")
    found = [f"{h} {v}" for h in heads for v in verbs]
    for owner in phrases("names", "intro.label_owners"):
        for label in phrases("names", "intro.labels"):
            found += [f"{owner} {label} {c}" for c in phrases("names", "intro.copulas")]
    return found


_STATED_RE = re.compile(r"(?<!\w)(?:" + _flexible(_stated_intros()) + r")\b")
_LABEL_RE = re.compile(
    _flexible(
        f"{o} {label} {c}"
        for o in phrases("names", "intro.label_owners")
        for label in phrases("names", "intro.labels")
        for c in phrases("names", "intro.copulas")
    )
)
_SELF_RE = re.compile(r"(?<!\w)(?:" + _flexible(phrases("names", "intro.stated_self")) + r")\s+")
_SELF_FOLLOW_RE = re.compile(r"\s*(?:,|j\W?ai\b|g\b|\d)")
# A message that opens with a name: "yo c'est Enzo, jveux un job", "Kevin 23 ans Spincourt".
_OPENING_RE = re.compile(
    r"^(?:(?:" + _flexible(phrases("names", "greetings")) + r")[\s,!.?]+)*"
    r"(?:(?P<self>" + _flexible(phrases("names", "intro.opening_self")) + r")\s+)?"
)
_PARTICLES = frozenset(phrases("names", "compound.particles"))
_SECOND_PARTS = frozenset(phrases("names", "compound.second_parts"))
_NAME_GREETING_RE = re.compile(
    r"^(?:" + _flexible(phrases("names", "greetings")) + r")(?:[\s,!.?]+|$)"
)
_NAME_PREFIX_RE = re.compile(r"^(?:" + _flexible(_intro_phrases()) + r")\b\s*(?:[:=,\-]\s*|\s)")
_NAME_CUT_RE = re.compile(
    r"\s+(?:" + _flexible(phrases("names", "cut.words")) + r")\b|\s+\d"
    r"|[,;!?\n\r\t()\[\]{}<>|/\\\"“”«»:]|\s-\s|\.(?:\s|$)|\s+:"
)
_NAME_LINK_RE = re.compile(
    r"https?:|www\.|@|\b[\w-]+\.(?:com|fr|net|org|io|be|ly|me|gg|tv|co|info|eu|app|lu|de)\b",
)
_CLAUSE_RE = re.compile(r"[,;.!\n]+")  # the clauses of chatter ending on a name
_NAME_STOPWORDS = frozenset(phrases("names", "reject.stopwords"))
_REJECTED = _NAME_STOPWORDS | frozenset(phrases("names", "reject.commands"))
# Words that fill rather than name: "bref", "voila", "bon ben".
_FILLERS = frozenset(phrases("yesno", "neutral.words")) | _NAME_STOPWORDS


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


def parse_first_name(
    text: str, communes: CommuneIndex | None = None
) -> tuple[str | None, str | None]:
    """Extract a first name: ``(name, None)`` or ``(None, reason)``.

    reason is one of "empty", "too_long", "digits", "link", "not_a_name". When the message
    is chatter ending on the name ("ben c'est sur mon profil, Tom", "jpréfère pas donner mon
    vrai prénom, mettez Alex"), its last clause is read, if written as a name or introduced,
    unless it is a Meuse commune of ``communes`` ("jsuis de Verdun, Stenay") or a yes, a no
    or a filler word ("ok, Parfait").
    """
    name, problem = _parse(text)
    if problem != "not_a_name" or not isinstance(text, str):
        return name, problem
    clauses = [c.strip() for c in _CLAUSE_RE.split(text[: _NAME_MAX_CHARS * 4]) if c.strip()]
    if len(clauses) < 2:
        return name, problem
    last = clauses[-1]
    folded = "".join(_fold_char(c) for c in last)
    start = 0
    while (m := _NAME_GREETING_RE.match(folded[start:])) is not None and m.end() > 0:
        start += m.end()  # "... bon Clara": the name after a greeting or a filler
    if not (last[start : start + 1].isupper() or _NAME_PREFIX_RE.match(folded[start:])):
        return name, problem
    if _not_a_name_clause(last, communes):
        return name, problem
    found, _ = _parse(last)
    return (found, None) if found else (name, problem)


def _not_a_name_clause(clause: str, communes: CommuneIndex | None) -> bool:
    """A last clause that names a commune, says yes or no, or only fills: "Verdun", "Parfait"."""
    if parse_yes_no(clause) is not None:
        return True
    if squeeze(normalize(clause)) in _FILLERS:
        return True
    return communes is not None and communes.named(clause) is not None


def _parse(text: str) -> tuple[str | None, str | None]:
    """The name of a message read whole (see parse_first_name)."""
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
    if raw.startswith("/"):
        return None, "not_a_name"  # a bot command: "/start", "/humain"

    folded = "".join(_fold_char(c) for c in raw)
    relabelled = _relabelled(raw, folded)
    if relabelled is not raw and parse_first_name(relabelled)[0] is not None:
        return parse_first_name(relabelled)
    start = 0
    introduced = False
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
        introduced = introduced or m is intro
        start += m.end()
    while start < len(folded) and not folded[start].isalnum():
        start += 1
    cut = _NAME_CUT_RE.search(folded, start)
    end = cut.start() if cut else len(raw)
    # A symbol after the name ends it: "Killian 😂 oui comme le joueur".
    symbol = next(
        (i for i in range(start, end) if unicodedata.category(raw[i]) == "So" and i > start),
        None,
    )
    if symbol is not None and any(c.isalnum() for c in raw[start:symbol]):
        end = symbol
    candidate = raw[start:end]
    if start > 0 and not introduced and parse_yes_no(candidate) is not None:
        return None, "not_a_name"  # "ok, Parfait": a yes after a filler, no name

    # Keep letters, marks, digits, hyphens, apostrophes; everything else is a space.
    chars = []
    for c in candidate:
        if c in APOSTROPHES:
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
            if token in _NAME_STOPWORDS or squeeze(token) in _REJECTED:
                return None, "not_a_name"
    letters = normalize("".join(words)).replace(" ", "")
    if len(letters) < 2 or len(set(letters)) == 1 or len("".join(words)) < 2:
        return None, "not_a_name"
    for fw in folded_words:
        vowelless = fw.isascii() and fw.isalpha() and not (set(fw) & LATIN_VOWELS)
        if vowelless and (len(fw) > 2 or len(folded_words) == 1):
            return None, "not_a_name"  # keyboard mash: "qsdfgh"
    name = _capitalise(" ".join(_first_name_words(words, folded_words)))
    if len(name) > _NAME_MAX_LEN:
        return None, "too_long"
    return name, None


def _first_name_words(words: list[str], folded: list[str]) -> list[str]:
    """The first name without the surname: "Inès Benali" is Inès, "Jean Baptiste" stays whole."""
    keep = 1
    while keep < len(words) and (
        len(words[keep - 1]) < 2 or folded[keep - 1] in _PARTICLES or folded[keep] in _SECOND_PARTS
    ):
        keep += 1
    return words[:keep]


def _relabelled(raw: str, folded: str) -> str:
    """From a later "mon vrai prénom c'est" on: "on m'appelle Lolo mais mon vrai prénom c'est X"."""
    later = [m for m in _STATED_RE.finditer(folded) if m.start() > 0]
    return raw[later[-1].start() :] if later and _LABEL_RE.match(folded, later[-1].start()) else raw


def stated_first_name(text: str) -> str | None:
    """A first name given with "je m'appelle" or "mon prénom c'est" anywhere in a message."""
    if not isinstance(text, str):
        return None
    raw = unicodedata.normalize("NFC", text[:_NAME_MAX_CHARS])
    folded = "".join(_fold_char(c) for c in raw)
    m = _STATED_RE.search(folded)
    if m is not None:
        return parse_first_name(raw[m.start() :])[0]
    m = _SELF_RE.search(folded)
    if m is None:
        return _opening_name(raw, folded)
    name = parse_first_name(raw[m.end() :])[0]
    if name is None or not folded.startswith(name.lower()[:1], m.end()):
        return None
    written_as_name = raw[m.end()].isupper()
    return name if written_as_name or _SELF_FOLLOW_RE.match(folded, m.end() + len(name)) else None


def _opening_name(raw: str, folded: str) -> str | None:
    """A name the message opens with, after a greeting: "cc je suis Manel de Bar-le-Duc".

    Written as a name (capital) after "c'est" / "je suis"; bare ("Lucie, 24 ans"), it must
    also be followed by more about the youth.
    """
    m = _OPENING_RE.match(folded)
    if m is None or m.end() >= len(raw) or not raw[m.end()].isalpha():
        return None
    if not m["self"] and not raw[m.end()].isupper():
        return None  # bare, it must be written as a name: cheap to rule out first
    name = parse_first_name(raw[m.end() :])[0]
    if name is None or not folded.startswith(name.lower()[:1], m.end()):
        return None
    written_as_name = raw[m.end()].isupper()
    followed = _SELF_FOLLOW_RE.match(folded, m.end() + len(name)) is not None
    if m["self"]:
        return name if written_as_name or followed else None
    return name if written_as_name and followed else None
