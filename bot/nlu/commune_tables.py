"""Normalised look-up tables over a set of communes (exact, prefix, fuzzy, phonetic)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.nlu.commune_text import (
    COMMON_WORDS,
    EMBEDDED_STOPWORDS,
    lookup_key,
    name_prefixes,
    phonetic,
    without_article,
)

# Fuzzy cut-off (rapidfuzz ``fuzz.ratio``, 0-100) for the preferred communes.
FUZZY_PREFERRED_CUTOFF = 80.0  # Meuse communes (or the `within` set)
PHONETIC_MIN_LENGTH = 4
# A commune named inside a sentence outside the Meuse: only reasonably big towns.
EMBEDDED_OTHER_MIN_POPULATION = 5000
EMBEDDED_MIN_LENGTH = 4
PREFIX_FUZZY_MIN_LENGTH = 5
# Outside the Meuse, towns this big can be named by their first word(s)
# ("Charleville" for Charleville-Mezieres), competing with exact homonyms.
PREFIX_OTHER_MIN_POPULATION = 10000
# Outside the Meuse, only towns this big can be named without their article
# ("Havre", "Rochelle").
ALIAS_OTHER_MIN_POPULATION = 5000

Candidate = tuple[int, str | None]  # (commune index, historic name or None)


@dataclass(frozen=True, slots=True)
class Source:
    """What the tables are built from: populations, name tokens, historic names."""

    populations: Sequence[int]
    name_tokens: Sequence[list[str]]
    historic_of: dict[int, list[tuple[str, list[str]]]]


class Tables:
    """Normalised lookup tables over a set of communes.

    `preferred` communes (the Meuse for the global tables, every commune for a
    `within` restriction) also get their name prefixes and a generous fuzzy
    cut-off; the others are matched on full names and strictly.
    """

    __slots__ = (
        "aliases",
        "big_prefixes",
        "embedded",
        "embedded_prefixes",
        "fuzzy_other",
        "fuzzy_preferred_cutoff",
        "fuzzy_preferred_keys",
        "fuzzy_preferred_targets",
        "historic",
        "names",
        "phonetic",
        "preferred",
        "prefixes",
    )

    def __init__(
        self,
        data: Source,
        members: Iterable[int],
        preferred: Iterable[int],
        *,
        fuzzy_preferred_cutoff: float = FUZZY_PREFERRED_CUTOFF,
    ) -> None:
        self.preferred = frozenset(preferred)
        self.fuzzy_preferred_cutoff = fuzzy_preferred_cutoff
        self.names: dict[str, list[int]] = {}
        self.historic: dict[str, list[Candidate]] = {}
        self.aliases: dict[str, list[int]] = {}
        self.prefixes: dict[str, list[int]] = {}
        self.big_prefixes: dict[str, list[int]] = {}
        # key -> candidates, for names found inside a longer sentence
        self.embedded: dict[str, list[Candidate]] = {}
        self.embedded_prefixes: dict[str, list[Candidate]] = {}
        fuzzy_pref: dict[str, list[Candidate]] = {}
        fuzzy_other: dict[str, list[Candidate]] = {}

        for i in members:
            tokens = data.name_tokens[i]
            key = lookup_key(tokens)
            is_preferred = i in self.preferred
            population = data.populations[i]
            # Uninhabited communes (the Meuse's six "villages morts pour la
            # France") are matched on their exact name or postcode only.
            loose = population > 0
            fuzzy = fuzzy_pref if is_preferred else fuzzy_other
            _add(self.names, key, i)
            if loose:
                _add(fuzzy, key, (i, None))
                if (
                    len(key) >= EMBEDDED_MIN_LENGTH
                    and key not in EMBEDDED_STOPWORDS
                    and (is_preferred or population >= EMBEDDED_OTHER_MIN_POPULATION)
                ):
                    _add(self.embedded, key, (i, None))
            bare = without_article(tokens)
            if bare is not None:
                bare_key = lookup_key(bare)
                if is_preferred:
                    _add(self.aliases, bare_key, i)
                    if loose:
                        _add(fuzzy, bare_key, (i, None))
                elif (
                    population >= ALIAS_OTHER_MIN_POPULATION
                    and len(bare_key) >= PREFIX_FUZZY_MIN_LENGTH
                    and bare_key not in EMBEDDED_STOPWORDS
                ):
                    _add(self.aliases, bare_key, i)
            if is_preferred and loose:
                for source in (tokens, bare or ()):
                    for prefix in name_prefixes(source, unfinished=True):
                        _add(self.prefixes, prefix, i)
                    for prefix in name_prefixes(source):
                        if len(prefix) >= PREFIX_FUZZY_MIN_LENGTH and prefix not in COMMON_WORDS:
                            _add(fuzzy, prefix, (i, None))
                            if prefix not in EMBEDDED_STOPWORDS:
                                _add(self.embedded_prefixes, prefix, (i, None))
            elif population >= PREFIX_OTHER_MIN_POPULATION:
                for prefix in name_prefixes(tokens):
                    if len(prefix) >= PREFIX_FUZZY_MIN_LENGTH and prefix not in COMMON_WORDS:
                        _add(self.big_prefixes, prefix, i)
            for historic_name, historic_tokens in data.historic_of.get(i, ()):
                hkey = lookup_key(historic_tokens)
                _add(self.historic, hkey, (i, historic_name))
                _add(fuzzy, hkey, (i, historic_name))
                if (
                    is_preferred
                    and len(hkey) >= EMBEDDED_MIN_LENGTH
                    and hkey not in EMBEDDED_STOPWORDS
                ):
                    _add(self.embedded, hkey, (i, historic_name))

        # Phonetic keys of the preferred names only (never for other communes).
        self.phonetic: dict[str, list[Candidate]] = {}
        for fuzzy_key, targets in fuzzy_pref.items():
            sound = phonetic(fuzzy_key)
            if len(sound) >= PHONETIC_MIN_LENGTH:
                for target in targets:
                    _add(self.phonetic, sound, target)
        self.fuzzy_preferred_keys = list(fuzzy_pref)
        self.fuzzy_preferred_targets = list(fuzzy_pref.values())
        # Other communes are bucketed by (first letter, key length): a strict
        # fuzzy scan only needs keys of a close length, and a typo in the very
        # first letter is not a "high confidence" match anyway.
        self.fuzzy_other: dict[tuple[str, int], tuple[list[str], list[list[Candidate]]]] = {}
        for other_key, targets in sorted(fuzzy_other.items()):
            keys, values = self.fuzzy_other.setdefault((other_key[0], len(other_key)), ([], []))
            keys.append(other_key)
            values.append(targets)

    def other_buckets(
        self, key: str, cutoff: float
    ) -> Iterable[tuple[list[str], list[list[Candidate]]]]:
        """The buckets of other keys that can reach `cutoff` against `key`
        (fuzz.ratio needs |a - b| <= (1 - c) * (a + b))."""
        c = cutoff / 100.0
        shortest = math.ceil(len(key) * c / (2.0 - c) - 1e-9)
        longest = math.floor(len(key) * (2.0 - c) / c + 1e-9)
        for length in range(shortest, longest + 1):
            bucket = self.fuzzy_other.get((key[0], length))
            if bucket is not None:
                yield bucket


_T = TypeVar("_T")


def _add(table: dict[str, list[_T]], key: str, value: _T) -> None:
    bucket = table.setdefault(key, [])
    if value not in bucket:
        bucket.append(value)
