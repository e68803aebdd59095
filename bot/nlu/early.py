"""Answers given before they are asked: "slt je cherche un taf vers Verdun" gives need and commune.

Precision first: only values stated plainly are returned, so the flow can keep
them and skip their questions. A question ("c'est quoi une formation ?") gives
nothing; neither does a commune that is not clearly named after "à", "vers"...
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from bot.nlu.age import parse_own_age, parse_stated_age
from bot.nlu.availability import parse_availability
from bot.nlu.commune_text import HOME_DEPARTEMENT, NEAR
from bot.nlu.communes import CommuneIndex
from bot.nlu.contact import find_email, parse_contact
from bot.nlu.names import stated_first_name
from bot.nlu.need import mentions_need
from bot.nlu.normalise import SHORT_ANSWER_MAX_CHARS, normalize, squeeze
from bot.nlu.wordlists import phrase_set, phrases

_CUES = tuple(
    tuple(p.split()) for p in [*phrases("early", "location_cues"), *phrases("early", "home_cues")]
)
_HOME_CUES = frozenset(tuple(p.split()) for p in phrases("early", "home_cues"))
_BREAKS = frozenset(phrases("early", "span_breaks"))
_DENIALS = frozenset(phrases("early", "denials"))
_ORIGIN = tuple(tuple(p.split()) for p in phrases("early", "origin_markers"))
_NEED_CUES = phrase_set("early", "need_cues")
_NEED_WISHES = phrase_set("early", "need_wishes")
_UNSURE = phrase_set("need", "unsure.phrases")
_UNSURE_ABOUT = phrase_set("early", "unsure_about")
_NEED_ALONE_WITH = frozenset(phrases("early", "need_alone_with"))
_NEED_ALONE_WORDS = 2  # "un taf", "un appart", "permis de conduire"... not a sentence
_AVAILABILITY_CUES = phrase_set("early", "availability_cues")
_CLAUSE_RE = re.compile(r"[^.,!?\n;]+[.,!?\n;]*")
_MAX_SPAN = 4  # tokens read after a cue; longer names are rare and written whole
# "vacher. damvillers. besoin boulot.": in a message of short clauses only, a clause that is
# a commune's name counts even in lower case, unless the name is an everyday word ("marre").
_TERSE_CLAUSE = 3
_EVERYDAY = frozenset(
    phrases("communes", "names.common_words")
    + phrases("communes", "names.embedded_stopwords_meuse")
)


def _clauses(text: str) -> list[str]:
    """Clauses that are not questions: "je cherche un taf. c gratuit ?" -> ["je cherche un taf."]."""
    return [c for c in _CLAUSE_RE.findall(text) if "?" not in c and c.strip()]


def _by_first(cues: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """Cues grouped by their first token, longest first."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    for cue in sorted(cues, key=len, reverse=True):
        groups.setdefault(cue[0], []).append(cue)
    return groups


_CUES_BY_FIRST = _by_first(_CUES)
_NEAR_BY_FIRST = _by_first(NEAR)


def _cue_at(
    tokens: list[str], start: int, cues: dict[str, list[tuple[str, ...]]]
) -> tuple[str, ...] | None:
    """The longest cue starting at ``start``."""
    candidates = cues.get(tokens[start], ())
    return next((c for c in candidates if tuple(tokens[start : start + len(c)]) == c), None)


# How surely a span names the youth's commune: "je suis de Doulcon" beats "l'affiche à Dun",
# which beats a landmark ("près de Verdun").
_HOME, _PLAIN, _LANDMARK = 0, 1, 2
_FUZZY_MIN_CHARS = 5


def _spans_after_cues(tokens: list[str]) -> list[tuple[list[str], int]]:
    """(tokens read after a place word, how surely that word names the youth's commune)."""
    spans = []
    start = 0
    while start < len(tokens):
        cue = _cue_at(tokens, start, _CUES_BY_FIRST)
        if cue is None:
            start += 1
            continue
        # "j habite a cote de verdun": the landmark phrase inside wins.
        inner = next(
            (p for p in range(start + 1, start + len(cue)) if _cue_at(tokens, p, _NEAR_BY_FIRST)),
            None,
        )
        if inner is not None:
            start = inner
            continue
        denied = start > 0 and tokens[start - 1] in _DENIALS  # "j habite plus a Verdun"
        start += len(cue)  # "a cote de verdun": "de" inside the cue is no cue
        if denied or (start < len(tokens) and _cue_at(tokens, start, _NEAR_BY_FIRST)):
            continue  # "j habite près de Verdun": the landmark cue is read next
        span: list[str] = []
        for token in tokens[start : start + _MAX_SPAN]:
            if token in _BREAKS or token.isdigit():
                break
            span.append(token)
        if span:
            rank = _LANDMARK if cue in NEAR else _HOME if cue in _HOME_CUES else _PLAIN
            if _origin_after(tokens, start, start + len(span)):
                rank = _LANDMARK  # "je suis de Verdun à la base"
            spans.append((span, rank))
    return spans


def _origin_after(tokens: list[str], start: int, end: int) -> bool:
    """Whether an origin marker ("à la base") follows the commune read at ``start``."""
    return any(
        tuple(tokens[i : i + len(m)]) == m for i in range(start + 1, end + 3) for m in _ORIGIN
    )


def _named(span: list[str], rank: int, communes: CommuneIndex) -> str | None:
    """The Meuse commune a span names, longest reading first ("bar le duc" before "bar")."""
    for length in range(len(span), 0, -1):
        commune = communes.named(" ".join(span[:length]))
        if commune is not None:
            return commune.name
    if rank == _HOME and len(span[0]) >= _FUZZY_MIN_CHARS and span[0] not in _DENIALS:
        # "jsui a montmedi": where the youth lives, typed as it sounds (one word only)
        match = communes.match(span[0])
        if match.kind == "found" and match.communes[0].departement == HOME_DEPARTEMENT:
            return match.communes[0].name
    return None


def find_commune(text: str, communes: CommuneIndex, landmarks: bool = True) -> str | None:
    """Official name of a Meuse commune named after a place word, or alone in a clause.

    "vers Dun, à Doulcon": a commune after "à" beats a landmark after "vers"; "je suis de
    Doulcon" beats "votre affiche à Dun"; "Lucie, 24 ans, Ligny": a clause that is a name.
    Without ``landmarks``, a commune named only as a landmark ("à côté de Verdun") is none.
    """
    found: dict[int, set[str]] = {_HOME: set(), _PLAIN: set(), _LANDMARK: set()}
    clauses = _clauses(text)
    terse = len(clauses) > 1 and all(len(c.split()) <= _TERSE_CLAUSE for c in clauses)
    for clause in clauses:
        tokens = normalize(clause).split()
        # "Lucie, 24 ans, Ligny": a clause written as a name (capital) that is a commune's.
        written_as_name = clause.strip()[:1].isupper() or (
            terse and not _EVERYDAY.intersection(tokens)
        )
        # A clause with a place word is read by its ranks, when one names a commune.
        named = [(n, rank) for span, rank in _spans_after_cues(tokens)
                 if (n := _named(span, rank, communes)) is not None]  # fmt: skip
        if (
            written_as_name
            and not named
            and 0 < len(tokens) <= _MAX_SPAN
            and (alone := communes.named(" ".join(tokens)))
        ):
            found[_PLAIN].add(alone.name)
            continue
        local: dict[int, set[str]] = {_HOME: set(), _PLAIN: set(), _LANDMARK: set()}
        for name, rank in named:
            local[rank].add(name)
        if local[_HOME]:  # "j'habite à Stenay ou à Verdun": one clause, two communes, unclear
            local[_HOME] |= local[_PLAIN]
        for rank, names in local.items():
            found[rank] |= names
    names = found[_HOME] or found[_PLAIN] or (found[_LANDMARK] if landmarks else set())
    return next(iter(names)) if len(names) == 1 else None


def _stated_need(text: str) -> str | None:
    """A need named after "je cherche", "besoin"...; one need only."""
    found = set()
    for clause in _clauses(text):
        norm = squeeze(normalize(clause))
        cue = _NEED_CUES.search(norm)
        need = mentions_need(norm, cue.end()) if cue else None
        rest = [t for t in norm.split() if t not in _NEED_ALONE_WITH]
        if need is None and 0 < len(rest) <= _NEED_ALONE_WORDS:
            need = mentions_need(" ".join(rest))
        if need is None and _NEED_WISHES.search(norm):  # "un appart ça serait top"
            need = mentions_need(norm)
        if need is None and _UNSURE.search(norm) and _UNSURE_ABOUT.search(norm):
            need = "unsure"  # "jsais pas trop ce que je veux faire de ma vie"
        if need is not None:
            found.add(need)
    return next(iter(found)) if len(found) == 1 else None


def _stated_availability(text: str) -> list[str] | None:
    """When the youth is free, from the clauses saying "dispo", "appelez-moi"... (all agree)."""
    if not _AVAILABILITY_CUES.search(squeeze(normalize(text))):
        return None  # most messages: one look at the whole text
    found = None
    for clause in _clauses(text):
        norm = squeeze(normalize(clause))
        cue = _AVAILABILITY_CUES.search(norm)
        slots = parse_availability(clause) if cue else None
        if slots and slots != ("any",):
            if found is not None and found != list(slots):
                return None
            found = list(slots)
    return found


def extract_unasked(
    text: str, communes: CommuneIndex, today: datetime.date | None = None
) -> dict[str, object]:
    """Slot values stated plainly: need, commune, age, first_name, phone, email, availability."""
    if not isinstance(text, str) or not text.strip():
        return {}
    text = text[:SHORT_ANSWER_MAX_CHARS]
    values: dict[str, object] = {}
    statements = " ".join(_clauses(text))
    need = _stated_need(text)
    if need is not None:
        values["need"] = need
    commune = find_commune(text, communes)
    if commune is not None:
        values["commune"] = commune
    age = parse_stated_age(statements, today or datetime.date.today())
    if age is None and "?" in text:  # a question clause may still state one's own age
        age = parse_own_age(text)
    if age is not None:
        values["age"] = age
    name = stated_first_name(text)
    if name is not None and communes.named(name) is None:  # "Verdun, 23 ans" names a place
        values["first_name"] = name
    availability = _stated_availability(text)
    if availability is not None:
        values["availability"] = availability
    contact = parse_contact(text)  # a phone number or an e-mail address is never ambiguous
    if contact.kind in ("phone", "email") and contact.value:
        values[contact.kind] = contact.value
    if contact.kind == "phone" and (email := find_email(text)) is not None:
        values["email"] = email  # "07 58 96 32 14 sinon mon mail theo@gmail.com": both kept
    return values
