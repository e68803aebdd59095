"""Distress in a message: suicide, violence, danger, a minor in danger, nowhere to sleep."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.nlu import lexicon
from bot.nlu.lexicon import LexiconError, Phrases

_FILE = lexicon.file_name("distress")

# Checked in this order: the first kind found is the one the reply leads with.
KINDS = ("suicide", "danger", "violence", "shelter")
ALL_KINDS = ("suicide", "violence", "danger", "minor", "shelter")
_NONE = Phrases(None)  # an empty list of phrases: matches nothing
_SCAN_MAX_CHARS = 10_000  # channels cap messages at ~4k characters: scan them whole


@dataclass(frozen=True, slots=True)
class _Kind:
    phrases: Phrases
    veto: Phrases
    unmasked: Phrases = _NONE  # heard before idioms are cut: a threat in idiom's words


class DistressLexicon:
    """The kinds of distress.toml, compiled once."""

    def __init__(
        self,
        idioms: Phrases,
        kinds: dict[str, _Kind],
        minor: Phrases,
        frames: Phrases = _NONE,
        frame_marks: tuple[str, ...] = (),
    ) -> None:
        self.idioms, self.kinds, self.minor = idioms, kinds, minor
        self.frames, self.frame_marks = frames, frame_marks

    @classmethod
    def load(cls, directory: Path = lexicon.DATA_DIR) -> DistressLexicon:
        data = lexicon.load(_FILE, directory)
        lexicon.check_keys(data, {"idioms", "kind", "minor", "frames"}, _FILE)
        idioms = lexicon.table(data, "idioms", _FILE)
        lexicon.check_keys(idioms, {"phrases"}, f"{_FILE} idioms")
        table = lexicon.table(data, "kind", _FILE)
        missing = [k for k in KINDS if k not in table]
        unknown = sorted(set(table) - set(KINDS))
        if missing or unknown:
            bad = missing[0] if missing else unknown[0]
            raise LexiconError(f"nlu data: distress.toml kind.{bad}: expected exactly {KINDS}")
        kinds = {}
        for name in KINDS:
            where = f"{_FILE} kind.{name}"
            entry = lexicon.table(table, name, f"{_FILE} kind")
            lexicon.check_keys(entry, {"phrases", "veto", "unmasked"}, where)
            phrases = lexicon.phrase_list(entry, "phrases", where)
            if not phrases:
                raise LexiconError(f"nlu data: {where}.phrases is empty")
            veto = lexicon.phrase_list(entry, "veto", where)
            unmasked = lexicon.phrase_list(entry, "unmasked", where)
            kinds[name] = _Kind(
                Phrases.compile(phrases), Phrases.compile(veto), Phrases.compile(unmasked)
            )
        minor = lexicon.table(data, "minor", _FILE)
        lexicon.check_keys(minor, {"markers"}, f"{_FILE} minor")
        frames = lexicon.table(data, "frames", _FILE)
        lexicon.check_keys(frames, {"markers", "marks"}, f"{_FILE} frames")
        return cls(
            Phrases.compile(lexicon.phrase_list(idioms, "phrases", f"{_FILE} idioms")),
            kinds,
            Phrases.compile(lexicon.phrase_list(minor, "markers", f"{_FILE} minor")),
            Phrases.compile(lexicon.phrase_list(frames, "markers", f"{_FILE} frames")),
            tuple(lexicon.text_list(frames, "marks", f"{_FILE} frames")),
        )

    def detect(self, text: str, *, age: int | None = None) -> str | None:
        """The kind of distress a message shows, or None. `text` is raw."""
        norm = lexicon.fold(text[:_SCAN_MAX_CHARS]) if isinstance(text, str) else ""
        return self.detect_folded(norm, age=age)

    def detect_folded(self, norm: str, *, age: int | None = None) -> str | None:
        if not norm:
            return None
        whole, norm = norm, self.idioms.remove(norm)
        for name in KINDS:
            kind = self.kinds[name]
            heard = kind.phrases.search(norm) or kind.unmasked.search(whole)
            if heard and not kind.veto.search(norm):
                if name in ("violence", "danger") and self._minor(norm, age):
                    return "minor"
                return name
        return None

    def figurative(self, text: str) -> bool:
        """Whether a message frames its words as a joke or a hyperbole ("mdr", a game, "😂")."""
        head = text[:_SCAN_MAX_CHARS]
        if any(mark in head for mark in self.frame_marks):
            return True
        return self.frames.search(lexicon.fold(head)) is not None

    def guess_allowed(self, text: str, kind: str) -> bool:
        """Whether a classifier's guess of `kind` may stand: no idiom, no frame, no veto."""
        norm = lexicon.fold(text[:_SCAN_MAX_CHARS])
        if self.idioms.search(norm) is not None or self.figurative(text):
            return False  # "je crève de chaud": idioms are the lexicon's to judge, never a guess
        veto = self.kinds.get(kind)
        return veto is None or veto.veto.search(norm) is None

    def _minor(self, norm: str, age: int | None) -> bool:
        return (age is not None and age < 18) or self.minor.search(norm) is not None
