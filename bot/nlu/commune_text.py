"""Commune names as youths type them: tokens, filler around the name, sound-alike keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from bot.nlu.wordlists import phrases, words

HOME_DEPARTEMENT = "55"

_TOKEN_SYNONYMS = words("communes", "synonyms")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_SOUS_RE = re.compile(r"\bs\s*/\s*s\b")
_SUR_RE = re.compile(r"\bs\s*/")
_SLASH_RE = re.compile(r"(?<=[a-z])\s*/\s*(?=[a-z])")
_COMBINING_RE = re.compile(r"[\u0300-\u036f]+")  # accents once decomposed (NFKD)
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
POSTCODE_RE = re.compile(r"^\d{5}$")
DEPARTEMENT_TOKEN_RE = re.compile(r"^(?:\d{2}|2a|2b|97\d)$")

CONNECTORS = frozenset(phrases("communes", "names.connectors"))
_ARTICLES = frozenset(phrases("communes", "names.articles"))
_VAGUE_PREFIXES = frozenset(phrases("communes", "names.vague_prefixes"))
COMMON_WORDS = frozenset(phrases("communes", "names.common_words"))
EMBEDDED_STOPWORDS = COMMON_WORDS | frozenset(
    phrases("communes", "names.embedded_stopwords_meuse")
    + phrases("communes", "names.embedded_stopwords_elsewhere")
)
NON_ANSWERS = frozenset(phrases("communes", "names.non_answers"))


def text_tokens(text: str) -> list[str]:
    """Lower-case, accent-free, punctuation-free tokens with usual abbreviations
    expanded ("st" -> "saint", "s/" -> "sur", "s/s" -> "sous")."""
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES).lower())
    text = _COMBINING_RE.sub("", text)
    text = _SOUS_RE.sub(" sous ", text)
    text = _SUR_RE.sub(" sur ", text)
    text = _SLASH_RE.sub(" sur ", text)
    return [_TOKEN_SYNONYMS.get(tok, tok) for tok in _NON_ALNUM_RE.sub(" ", text).split()]


def lookup_key(tokens: Sequence[str]) -> str:
    """Lookup key: tokens glued together, so "bar le duc", "Bar-le-Duc" and
    "barleduc" are one key."""
    return "".join(tokens)


def _phrases(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    found = {tuple(text_tokens(p)) for p in items}
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


# Filler around the name, matched token-wise after normalisation (so "à" == "a",
# "j'habite" == "j habite"). Longest phrases are tried first.
_LEADING_FILLER = _phrases(phrases("communes", "filler.leading"))
_TRAILING_FILLER = _phrases(phrases("communes", "filler.trailing"))
NEAR = _phrases(phrases("communes", "near.phrases"))
CORRECTIONS = _phrases(phrases("communes", "corrections.phrases"))
DENIALS = _phrases(phrases("communes", "corrections.denials"))
# Trailing departement hints: "Verdun (55)", "... en Meuse", "Verdun 09".
DEPARTEMENT_HINTS = dict.fromkeys(
    _phrases(phrases("communes", "departement_hints.home")), HOME_DEPARTEMENT
)


def _by_edge(items: Iterable[tuple[str, ...]], edge: int) -> dict[str, list[tuple[str, ...]]]:
    """Phrases grouped by their first (edge 0) or last (edge -1) token, longest first."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    for phrase in items:
        groups.setdefault(phrase[edge], []).append(phrase)
    return groups


_LEADING_BY_FIRST = _by_edge(_LEADING_FILLER, 0)
_TRAILING_BY_LAST = _by_edge(_TRAILING_FILLER, -1)


def _strip_once(current: list[str]) -> list[str] | None:
    for phrase in _LEADING_BY_FIRST.get(current[0], ()):
        n = len(phrase)
        if len(current) > n and tuple(current[:n]) == phrase:
            return current[n:]
    for phrase in _TRAILING_BY_LAST.get(current[-1], ()):
        n = len(phrase)
        if (
            len(current) > n
            and tuple(current[-n:]) == phrase
            # "Dieue-sur-Meuse", "Ville-en-Woevre": part of the name
            and current[-n - 1] not in CONNECTORS
        ):
            return current[:-n]
    return None


def strip_variants(tokens: list[str]) -> list[list[str]]:
    """The answer, then successively stripped of leading / trailing filler."""
    variants = [tokens]
    current = tokens
    while current:
        stripped = _strip_once(current)
        if stripped is None:
            break
        current = stripped
        variants.append(current)
    return variants


_PHONETIC_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ph", "f"),
        (r"sch", "ch"),
        (r"ch", "§"),  # keep "ch" away from the "c" and "h" rules
        (r"qu|ck|cq|k", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"gu(?=[eiy])", "g"),
        (r"g(?=[eiy])", "j"),
        (r"h", ""),
        (r"§", "ch"),
        (r"y", "i"),
        (r"w", "v"),
        (r"eau|au", "o"),
        (r"[ae]i(?=[nm])", "i"),
        (r"ai|ei", "e"),
        (r"z", "s"),
        (r"(.)\1+", r"\1"),
        (r"(?<=...)[stdxe]+$", ""),
    )
)


def phonetic(key: str) -> str:
    """Rough French sound-alike key of a lookup key: "stenais" and "stenay"
    give "sten", "vocouleur" and "vaucouleurs" give "vokouleur"."""
    for pattern, replacement in _PHONETIC_RULES:
        key = pattern.sub(replacement, key)
    return key


_FILLER_PHRASES = frozenset(_LEADING_FILLER) | frozenset(_TRAILING_FILLER)


def is_filler(tokens: Sequence[str]) -> bool:
    return tuple(tokens) in _FILLER_PHRASES


def name_prefixes(tokens: Sequence[str], *, unfinished: bool = False) -> list[str]:
    """Keys of the proper token prefixes of a name that can stand for it
    ("thierville" for Thierville-sur-Meuse, "bar" for Bar-le-Duc).
    `unfinished`: also prefixes ending with a connector ("bar le")."""
    keys = []
    for n in range(1, len(tokens)):
        head = tokens[:n]
        if head[-1] in CONNECTORS and (n == 1 or not unfinished):
            continue
        if n == 1 and head[0] in _VAGUE_PREFIXES:
            continue
        if n == 2 and head[0] in ("saint", "sainte") and len(head[1]) < 3:
            continue
        keys.append(lookup_key(head))
    return keys


def without_article(tokens: Sequence[str]) -> list[str] | None:
    if len(tokens) > 1 and tokens[0] in _ARTICLES:
        return list(tokens[1:])
    return None
