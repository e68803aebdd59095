"""Commune look-up strategies over the tables: exact tiers, names inside sentences, fuzzy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.nlu.commune_tables import PHONETIC_MIN_LENGTH, Candidate, Tables
from bot.nlu.commune_text import lookup_key, phonetic

MatchKind = Literal["found", "choices", "postcode", "none"]


@dataclass(frozen=True, slots=True)
class Commune:
    code: str  # INSEE code of the current commune
    name: str  # official name, with accents
    departement: str  # "55"
    postcodes: tuple[str, ...]
    population: int
    epci: str | None  # EPCI name (used as the default territory)
    arrondissement: str | None = None  # INSEE code, "553" (Verdun)


@dataclass(frozen=True, slots=True)
class CommuneMatch:
    kind: MatchKind
    # found: 1; choices: 2..3 best candidates;
    # postcode: ALL communes of that postcode, most populous first; none: ()
    communes: tuple[Commune, ...]
    postcode: str | None = None
    via_historic_name: str | None = None  # when the answer named a former commune


NO_MATCH = CommuneMatch("none", ())

MAX_CHOICES = 3

# Fuzzy thresholds (rapidfuzz ``fuzz.ratio``, 0-100, on space-less keys).
FUZZY_MIN_LENGTH = 4  # shorter answers ("jsp", "lol") are never fuzzy-matched
FUZZY_MAX_LENGTH = 64  # longer than any commune name (a sentence): no fuzzy scan
FUZZY_OTHER_CUTOFF = 90.0  # communes outside the Meuse: high confidence only
FUZZY_BIG_TOWN_CUTOFF = 85.0  # ... a bit less for big towns ("strasbour", "marseil")
BIG_TOWN_POPULATION = 20000
FUZZY_PREFERRED_BONUS = 8.0
# Keys this short match fuzzily only with a single edit ("etin" -> "etain").
FUZZY_SHORT_KEY_LENGTH = 6
FUZZY_SHORT_KEY_CUTOFF = 88.0
# Score given to a match on the phonetic key ("stenais" -> Stenay).
PHONETIC_SCORE = 90.0
FUZZY_MARGIN = 4.0  # best must lead the runner-up by this much to be "found"
FUZZY_CHOICE_WINDOW = 10.0  # runners-up within this distance become choices
# Outside the Meuse, a homonym this many times more populous than the next wins.
DOMINANT_POPULATION_RATIO = 10
MAX_NAME_TOKENS = 10  # no commune name has more words (8 at most in 2025)


class Lookup:
    """Ranks candidate communes into a CommuneMatch (found, choices or none)."""

    __slots__ = ("communes",)

    def __init__(self, communes: Sequence[Commune]) -> None:
        self.communes: tuple[Commune, ...] = tuple(communes)

    def by_population(self, indexes: Iterable[int]) -> list[int]:
        communes = self.communes
        return sorted(set(indexes), key=lambda i: (-communes[i].population, communes[i].name))

    def result(
        self, candidates: Sequence[Candidate], *, dominance: bool = False
    ) -> CommuneMatch | None:
        """found / choices from candidates given in preference order."""
        seen: dict[int, str | None] = {}
        for i, historic_name in candidates:
            seen.setdefault(i, historic_name)
        if not seen:
            return None
        order = list(seen)
        if len(order) == 1:
            return CommuneMatch("found", (self.communes[order[0]],), None, seen[order[0]])
        if dominance:
            order = self.by_population(order)
            first, second = self.communes[order[0]], self.communes[order[1]]
            if first.population >= DOMINANT_POPULATION_RATIO * max(second.population, 1):
                return CommuneMatch("found", (first,), None, seen[order[0]])
        return CommuneMatch("choices", tuple(self.communes[i] for i in order[:MAX_CHOICES]))

    def exact(self, key: str, tables: Tables) -> CommuneMatch | None:
        if not key:
            return None
        pref = tables.preferred
        names = tables.names.get(key, ())
        home = [(i, None) for i in names if i in pref]
        if home:
            return self.result(home, dominance=True)
        historic = tables.historic.get(key, ())
        home_historic = [c for c in historic if c[0] in pref]
        if home_historic:
            return self.result(home_historic, dominance=True)
        prefixed = [i for i in self.by_population(tables.prefixes.get(key, ())) if i in pref]
        aliases = tables.aliases.get(key, ())
        prefixed += [i for i in self.by_population(aliases) if i in pref]
        others = [i for i in names if i not in pref]
        others = self.by_population(others + tables.big_prefixes.get(key, []))
        if prefixed:
            # A Meuse name prefix that fits one commune only ("Thierville",
            # "Clermont", "Bar") beats small homonyms elsewhere: locals shorten
            # names. A big town elsewhere ("Dieppe", "Chatillon") is offered too.
            communes = self.communes
            big = [
                i for i in names if i not in pref and communes[i].population >= BIG_TOWN_POPULATION
            ]
            if len(set(prefixed)) == 1 and not big:
                return self.result([(prefixed[0], None)])
            return self.result([(i, None) for i in prefixed + others])
        if others:
            return self.result([(i, None) for i in others], dominance=True)
        if historic:
            return self.result(historic, dominance=True)
        if aliases:
            return self.result([(i, None) for i in aliases], dominance=True)
        return None

    def embedded(self, tokens: list[str], tables: Tables) -> CommuneMatch | None:
        """A commune named inside a longer sentence. Meuse before elsewhere,
        full names before name prefixes ("rue Saint-Jean a Verdun" is Verdun),
        then the longest span."""
        longest = min(len(tokens) - 1, MAX_NAME_TOKENS)
        pref = tables.preferred
        found: list[list[Candidate]] = []
        for table in (tables.embedded, tables.embedded_prefixes):
            for length in range(longest, 0, -1):
                hits: list[Candidate] = []
                for start in range(len(tokens) - length + 1):
                    hits.extend(table.get(lookup_key(tokens[start : start + length]), ()))
                if hits:
                    found.append(hits)
                    break
        for hits in found:
            home = [c for c in hits if c[0] in pref]
            if home:
                return self.result(home)
        for hits in found:
            return self.result(hits)
        return None

    def fuzzy(self, key: str, tables: Tables) -> CommuneMatch | None:
        if not FUZZY_MIN_LENGTH <= len(key) <= FUZZY_MAX_LENGTH:
            return None
        scores: dict[int, tuple[float, str | None]] = {}

        communes = self.communes

        def keep(i: int, score: float, historic_name: str | None) -> None:
            if i not in scores or scores[i][0] < score:
                scores[i] = (score, historic_name)

        def plausible(candidate: str, score: float) -> bool:
            short = min(len(candidate), len(key)) < FUZZY_SHORT_KEY_LENGTH
            return not short or score >= FUZZY_SHORT_KEY_CUTOFF

        sound = phonetic(key)
        if len(sound) >= PHONETIC_MIN_LENGTH:
            for i, historic_name in tables.phonetic.get(sound, ()):
                keep(i, PHONETIC_SCORE + FUZZY_PREFERRED_BONUS, historic_name)

        for candidate, score, pos in process.extract(
            key,
            tables.fuzzy_preferred_keys,
            scorer=fuzz.ratio,
            score_cutoff=tables.fuzzy_preferred_cutoff,
            limit=10,
        ):
            if not plausible(candidate, score):
                continue
            for i, historic_name in tables.fuzzy_preferred_targets[pos]:
                keep(i, score + FUZZY_PREFERRED_BONUS, historic_name)

        for keys, targets in tables.other_buckets(key, FUZZY_BIG_TOWN_CUTOFF):
            for candidate, score, pos in process.extract(
                key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_BIG_TOWN_CUTOFF, limit=10
            ):
                if not plausible(candidate, score):
                    continue
                for i, historic_name in targets[pos]:
                    if score >= FUZZY_OTHER_CUTOFF or (
                        historic_name is None and communes[i].population >= BIG_TOWN_POPULATION
                    ):
                        keep(i, score, historic_name)
        if not scores:
            return None
        ranked = sorted(scores, key=lambda i: (-scores[i][0], -communes[i].population))
        best = scores[ranked[0]][0]
        # Close to a Meuse commune: that one, not a tie with a commune elsewhere.
        home = [i for i in ranked if i in tables.preferred]
        if home and len(home) < len(ranked) and scores[home[0]][0] >= best - FUZZY_MARGIN:
            ranked = home
            best = scores[ranked[0]][0]
        if len(ranked) == 1 or best - scores[ranked[1]][0] >= FUZZY_MARGIN:
            i = ranked[0]
            return CommuneMatch("found", (communes[i],), None, scores[i][1])
        close = [i for i in ranked if scores[i][0] >= best - FUZZY_CHOICE_WINDOW]
        return CommuneMatch("choices", tuple(communes[i] for i in close[:MAX_CHOICES]))
