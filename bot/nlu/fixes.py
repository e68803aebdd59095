"""Corrections: whether the youth wants one, which field it is about, or corrects in passing."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.nlu import lexicon
from bot.nlu.lexicon import LexiconError, Phrases

_FILE = lexicon.file_name("fixes")
FIELDS = ("first_name", "age", "commune", "need", "contact", "availability")


class FixLexicon:
    """The phrases of fixes.toml, compiled once."""

    def __init__(
        self,
        wants: Phrases,
        veto: Phrases,
        fields: dict[str, Phrases],
        corrections: tuple[Phrases, Phrases, Phrases],
    ) -> None:
        self.wants, self.veto, self.fields = wants, veto, fields
        self.corrections, self.corrections_at_summary, self.additions = corrections

    @classmethod
    def load(cls, directory: Path = lexicon.DATA_DIR) -> FixLexicon:
        data = lexicon.load(_FILE, directory)
        lexicon.check_keys(data, {"wants_fix", "fields", "corrects"}, _FILE)
        wants = lexicon.table(data, "wants_fix", _FILE)
        lexicon.check_keys(wants, {"phrases", "veto"}, f"{_FILE} wants_fix")
        table = lexicon.table(data, "fields", _FILE)
        if set(table) != set(FIELDS):
            raise LexiconError(f"nlu data: {_FILE} [fields] must name exactly {FIELDS}")
        corrects = lexicon.table(data, "corrects", _FILE)
        lexicon.check_keys(corrects, {"phrases", "at_summary", "adds"}, f"{_FILE} corrects")
        return cls(
            Phrases.compile(lexicon.phrase_list(wants, "phrases", f"{_FILE} wants_fix")),
            Phrases.compile(lexicon.phrase_list(wants, "veto", f"{_FILE} wants_fix")),
            {f: Phrases.compile(lexicon.phrase_list(table, f, f"{_FILE} fields")) for f in FIELDS},
            tuple(  # type: ignore[arg-type]  # three lists, in the order of __init__
                Phrases.compile(lexicon.phrase_list(corrects, key, f"{_FILE} corrects"))
                for key in ("phrases", "at_summary", "adds")
            ),
        )

    def wants_fix(self, text: str) -> bool:
        """Whether a message at the summary asks to correct something ("rien à changer" does not)."""
        norm = lexicon.fold(text)
        return self.wants.search(norm) is not None and self.veto.search(norm) is None

    def corrects(self, text: str, *, at_summary: bool = False) -> bool:
        """Whether a message corrects an earlier answer ("j'ai dit 19", "pas X, c'est Y").

        Fillers that often open an ordinary answer too ("en vrai", "sauf") count only at the
        summary, where every answer is shown again before anything is sent.
        """
        norm = lexicon.fold(text)
        if self.corrections.search(norm) is not None:
            return True
        return at_summary and self.corrections_at_summary.search(norm) is not None

    def adds(self, text: str) -> bool:
        """Whether a message adds to an answer rather than replacing it ("un logement aussi")."""
        return self.additions.search(lexicon.fold(text)) is not None

    def field(self, text: str) -> str | None:
        """The field a message names ("mon numéro" is the contact), or None."""
        norm = lexicon.fold(text)
        return next((f for f in FIELDS if self.fields[f].search(norm) is not None), None)


@lru_cache(maxsize=1)
def default_fixes() -> FixLexicon:
    """The bundled fixes.toml, loaded once per process."""
    return FixLexicon.load()
