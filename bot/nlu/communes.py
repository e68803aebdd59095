"""Commune recognition for the intake question "which commune do you live in?".

Pure and synchronous: the only I/O is reading the packaged data file
(``bot/nlu/data/communes.json.gz``, built by ``scripts/build_communes.py``).
Every normalised lookup table is built once in :meth:`CommuneIndex.load`
(about 1 s: load it once per process and share it, it is read-only);
:meth:`CommuneIndex.match` only does dictionary look-ups and, when those fail,
a few rapidfuzz scans (well under 1 ms typical).

Matching order for a free-text answer (youths typing on phones):

1. postcodes ("55100", "55 100") are pulled out of the text; a postcode alone
   gives its communes, a postcode with a name is resolved within that postcode;
2. a trailing departement hint ("Verdun 09", "... en Meuse") restricts first;
3. exact look-ups on the normalised answer, then on the answer stripped of
   leading / trailing filler ("j'habite à", "stp", ...), tier by tier:
   Meuse name, Meuse historic name, Meuse name prefix ("Thierville"),
   other name, other historic name, name without its article ("Islettes");
4. fuzzy matching (typos, plus a rough French phonetic key for the Meuse),
   generous inside the Meuse, strict outside;
5. a commune name embedded in a longer sentence ("à Verdun depuis 2 ans").
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.nlu.commune_lookup import (
    MAX_NAME_TOKENS,
    NO_MATCH,
    Commune,
    CommuneMatch,
    Lookup,
    MatchKind,
)
from bot.nlu.commune_tables import (
    FUZZY_PREFERRED_CUTOFF,
    Source,
    Tables,
)
from bot.nlu.commune_text import (
    CORRECTIONS,
    DENIALS,
    DEPARTEMENT_HINTS,
    DEPARTEMENT_TOKEN_RE,
    HOME_DEPARTEMENT,
    NEAR,
    NON_ANSWERS,
    POSTCODE_RE,
    is_filler,
    lookup_key,
    strip_variants,
    text_tokens,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "communes.json.gz"

FUZZY_WITHIN_CUTOFF = 70.0  # when restricted to a few communes (`within`)
WITHIN_CACHE_SIZE = 64
# Beside a landmark, only this short a rest is fuzzy-matched ("à Doulcn").
QUICK_FUZZY_MAX_TOKENS = 3


def _after_correction(tokens: list[str]) -> list[str] | None:
    """The tokens after the last correction word that follows something:
    "commercy enfin vignot" -> ["vignot"]."""
    for start in range(len(tokens) - 1, 0, -1):
        for phrase in CORRECTIONS:
            end = start + len(phrase)
            if end < len(tokens) and tuple(tokens[start:end]) == phrase:
                return tokens[end:]
    return None


class CommuneIndex:
    """All French communes, with lookup tables tuned for the Meuse."""

    __slots__ = (
        "_attribution",
        "_by_code",
        "_communes",
        "_departement_members",
        "_departements",
        "_index_of",
        "_lookup",
        "_postcodes",
        "_source",
        "_tables",
        "_within_cache",
    )

    def __init__(
        self,
        communes: Sequence[Commune],
        historic: Iterable[tuple[str, str]],
        departements: dict[str, str],
        attribution: str,
    ) -> None:
        """`historic`: (former name, INSEE code of its current commune)."""
        self._communes: tuple[Commune, ...] = tuple(communes)
        self._by_code = {c.code: c for c in self._communes}
        self._lookup = Lookup(self._communes)
        self._index_of = {c.code: i for i, c in enumerate(self._communes)}
        historic_of: dict[int, list[tuple[str, list[str]]]] = {}
        for name, code in historic:
            i = self._index_of.get(code)
            if i is not None:
                historic_of.setdefault(i, []).append((name, text_tokens(name)))
        postcodes: dict[str, list[int]] = {}
        for i, commune in enumerate(self._communes):
            for postcode in commune.postcodes:
                postcodes.setdefault(postcode, []).append(i)
        self._postcodes = {pc: self._lookup.by_population(idx) for pc, idx in postcodes.items()}
        self._departements = dict(departements)
        self._departement_members: dict[str, list[int]] = {}
        for i, commune in enumerate(self._communes):
            self._departement_members.setdefault(commune.departement, []).append(i)
        self._attribution = attribution
        self._source = Source(
            populations=[c.population for c in self._communes],
            name_tokens=[text_tokens(c.name) for c in self._communes],
            historic_of=historic_of,
        )
        home = self._departement_members.get(HOME_DEPARTEMENT, [])
        self._tables = Tables(self._source, range(len(self._communes)), home)
        self._within_cache: dict[tuple[frozenset[int], float], Tables] = {}

    # ---- public API -------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None = None) -> CommuneIndex:
        """Load the data file (default: the packaged communes.json.gz)."""
        with gzip.open(path or DEFAULT_PATH, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        columns = data["communes"]
        epci_names: list[str] = data["epci"]
        arrondissements = columns.get("arrondissement") or [""] * len(columns["code"])
        communes = [
            Commune(
                code=code,
                name=name,
                departement=departement,
                postcodes=tuple(postcodes.split()),
                population=population,
                epci=epci_names[epci] if epci >= 0 else None,
                arrondissement=arrondissement or None,
            )
            for code, name, departement, postcodes, population, epci, arrondissement in zip(
                columns["code"],
                columns["name"],
                columns["departement"],
                columns["postcodes"],
                columns["population"],
                columns["epci"],
                arrondissements,
                strict=True,
            )
        ]
        historic = [(name, code) for name, code, _kind in data["historic"]]
        return cls(communes, historic, data["departements"], data["attribution"])

    def match(self, text: str, *, within: Iterable[str] | None = None) -> CommuneMatch:
        """Recognise the commune named in a free-text answer.

        `within`: INSEE codes to restrict to (e.g. the communes of a postcode
        the user gave in a previous answer).
        """
        allowed: frozenset[int] | None = None
        if within is not None:
            allowed = frozenset(self._index_of[c] for c in within if c in self._index_of)
            if not allowed:
                return NO_MATCH
        tables = self._tables if allowed is None else self._restricted(allowed)

        tokens, postcode = self._take_postcode(text_tokens(text))
        if postcode is not None:
            members = [i for i in self._postcodes[postcode] if allowed is None or i in allowed]
            if members:
                if tokens:
                    named = self._match_tokens(tokens, self._restricted(frozenset(members)))
                    if named.kind == "found":
                        return CommuneMatch(
                            "found", named.communes, postcode, named.via_historic_name
                        )
                    # The name does not fit the postcode: trust a clear name.
                    named = self._match_tokens(tokens, tables)
                    if named.kind == "found":
                        return named
                return self._postcode_match(postcode, members)
        if not tokens:
            return NO_MATCH

        tokens, departement = self._take_departement(tokens)
        # The home departement is preferred anyway: its hint changes nothing.
        if departement is not None and departement != HOME_DEPARTEMENT:
            members = [
                i for i in self._departement_members[departement] if allowed is None or i in allowed
            ]
            if members and tokens:
                hinted = self._match_tokens(
                    tokens, self._restricted(frozenset(members), FUZZY_PREFERRED_CUTOFF)
                )
                if hinted.kind != "none":
                    return hinted
        if not tokens:
            return NO_MATCH
        return self._match_tokens(tokens, tables)

    def named(self, text: str) -> Commune | None:
        """The Meuse commune a text names exactly (no typo tolerance), else None.

        Dictionary look-ups only: cheap enough to try on every span of a message.
        """
        for variant in strip_variants(text_tokens(text)):
            found = self._lookup.exact(lookup_key(variant), self._tables)
            if found is not None and found.kind == "found":
                commune = found.communes[0]
                return commune if commune.departement == HOME_DEPARTEMENT else None
        return None

    def by_code(self, code: str) -> Commune | None:
        return self._by_code.get(code)

    def in_arrondissement(self, code: str) -> list[Commune]:
        """The communes of an arrondissement ("553"), in INSEE code order."""
        return [c for c in self._communes if c.arrondissement == code]

    def departement_name(self, code: str) -> str:
        """Name of a departement ("55" -> "Meuse"); KeyError when unknown."""
        return self._departements[code]

    @property
    def attribution(self) -> str:
        return self._attribution

    # ---- helpers ----------------------------------------------------------

    def _restricted(
        self, members: frozenset[int], fuzzy_cutoff: float = FUZZY_WITHIN_CUTOFF
    ) -> Tables:
        """Tables over a few communes, all preferred (cached, small LRU-ish)."""
        cache_key = (members, fuzzy_cutoff)
        tables = self._within_cache.get(cache_key)
        if tables is None:
            if len(self._within_cache) >= WITHIN_CACHE_SIZE:
                self._within_cache.pop(next(iter(self._within_cache)), None)
            tables = Tables(
                self._source, sorted(members), members, fuzzy_preferred_cutoff=fuzzy_cutoff
            )
            self._within_cache[cache_key] = tables
        return tables

    def _take_postcode(self, tokens: list[str]) -> tuple[list[str], str | None]:
        """Pull the first known postcode ("55100" or "55 100") out of the tokens.
        Unknown postcodes are dropped; other numbers are kept."""
        postcode = None
        rest: list[str] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if (
                len(tok) == 2
                and tok.isdigit()
                and i + 1 < len(tokens)
                and len(tokens[i + 1]) == 3
                and tokens[i + 1].isdigit()
            ):
                joined = tok + tokens[i + 1]
                if joined in self._postcodes:
                    tok = joined
                    i += 1
            if POSTCODE_RE.match(tok):
                if postcode is None and tok in self._postcodes:
                    postcode = tok
            else:
                rest.append(tok)
            i += 1
        return rest, postcode

    def _take_departement(self, tokens: list[str]) -> tuple[list[str], str | None]:
        for phrase, code in DEPARTEMENT_HINTS.items():
            n = len(phrase)
            if len(tokens) > n and tuple(tokens[-n:]) == phrase:
                return tokens[:-n], code
        last = tokens[-1]
        if len(tokens) > 1 and DEPARTEMENT_TOKEN_RE.match(last) and last in self._departements:
            return tokens[:-1], last
        return tokens, None

    def _postcode_match(self, postcode: str, members: list[int]) -> CommuneMatch:
        communes = tuple(self._communes[i] for i in self._lookup.by_population(members))
        kind: MatchKind = "found" if len(communes) == 1 else "postcode"
        return CommuneMatch(kind, communes, postcode)

    def _match_tokens(self, tokens: list[str], tables: Tables) -> CommuneMatch:
        # "vers Dun, à Doulcon": the commune named as a landmark gives way.
        # A full name with "près" in it ("Grimaucourt-près-Sampigny") is no landmark.
        named = any(self._lookup.exact(lookup_key(v), tables) for v in strip_variants(tokens))
        corrected = None if named else _after_correction(tokens)
        if corrected is not None:
            found = self._match_answer(corrected, tables, quick=True)
            if found.kind == "found":
                return found
        # "pas Verdun, Belleville": a denied commune gives way too.
        undenied = None if named else self._without_landmark(tokens, tables, DENIALS)
        if undenied is not None:
            found = self._match_answer(undenied, tables, quick=True)
            if found.kind == "found":
                return found
        elsewhere = None if named else self._without_landmark(tokens, tables)
        if elsewhere is not None:
            found = self._match_answer(elsewhere, tables, quick=True)
            if found.kind != "none":
                return found
        return self._match_answer(tokens, tables)

    def _without_landmark(
        self, tokens: list[str], tables: Tables, landmarks: Sequence[tuple[str, ...]] = NEAR
    ) -> list[str] | None:
        """The tokens without "près de <commune>" (or another landmark phrase
        followed by a name), when something else is left."""
        for start in range(len(tokens)):
            for phrase in landmarks:
                end = start + len(phrase)
                if tuple(tokens[start:end]) != phrase:
                    continue
                longest = min(MAX_NAME_TOKENS, len(tokens) - end)
                for length in range(longest, 0, -1):
                    if (
                        self._lookup.exact(lookup_key(tokens[end : end + length]), tables)
                        is not None
                    ):
                        rest = tokens[:start] + tokens[end + length :]
                        core = strip_variants(rest)[-1] if rest else []
                        if core and not is_filler(core):
                            return rest
                        return None
        return None

    def _match_answer(
        self, tokens: list[str], tables: Tables, *, quick: bool = False
    ) -> CommuneMatch:
        """`quick`: fuzzy-match only a short core (the rest of a sentence)."""
        variants = strip_variants(tokens)
        core = variants[-1]
        if lookup_key(core) in NON_ANSWERS or is_filler(core):
            return NO_MATCH
        for variant in variants:
            found = self._lookup.exact(lookup_key(variant), tables)
            if found is not None:
                return found
        if quick:
            short = len(core) <= QUICK_FUZZY_MAX_TOKENS
            return (
                (self._lookup.fuzzy(lookup_key(core), tables) if short else None)
                or self._lookup.embedded(core, tables)
                or NO_MATCH
            )
        # Most stripped first; the others in case filler was part of a
        # misspelt name ("dugny su meuse" lost its "meuse").
        # A guess outside the Meuse waits in case a longer variant is in it
        # ("pont sr meuse" is Pont-sur-Meuse, not Ponts in the Manche).
        elsewhere: CommuneMatch | None = None
        for variant in reversed(variants):
            found = self._lookup.fuzzy(lookup_key(variant), tables)
            if found is not None:
                if any(self._index_of[c.code] in tables.preferred for c in found.communes):
                    return found
                elsewhere = elsewhere or found
        return elsewhere or self._lookup.embedded(core, tables) or NO_MATCH
