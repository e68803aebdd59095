"""Distress in a message: suicide, violence, danger, a minor in danger, nowhere to sleep."""

from __future__ import annotations

import re
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
# The kinds whose phrasings have known hyperboles ("je vais crever 😂"): the only ones a frame
# may soften. Violence, a minor in danger and a night outside are never a joke's to cancel.
SOFTENED = ("suicide", "danger")
# Clauses a frame counts in: "il m'a touché. c'était au foot mdr" frames only its own clause.
_CLAUSE_RE = re.compile(r"[.!?;,\n]+|\b(?:mais|parce que|pcq|psk)\b", re.IGNORECASE)
_LETTER_RE = re.compile(r"[a-z0-9]")


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
        chores: Phrases = _NONE,
        firm: Phrases = _NONE,
    ) -> None:
        self.idioms, self.kinds, self.minor = idioms, kinds, minor
        self.frames, self.frame_marks = frames, frame_marks
        self.chores, self.firm = chores, firm

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
        lexicon.check_keys(frames, {"markers", "marks", "chores", "firm"}, f"{_FILE} frames")
        return cls(
            Phrases.compile(lexicon.phrase_list(idioms, "phrases", f"{_FILE} idioms")),
            kinds,
            Phrases.compile(lexicon.phrase_list(minor, "markers", f"{_FILE} minor")),
            Phrases.compile(lexicon.phrase_list(frames, "markers", f"{_FILE} frames")),
            tuple(lexicon.text_list(frames, "marks", f"{_FILE} frames")),
            Phrases.compile(lexicon.phrase_list(frames, "chores", f"{_FILE} frames")),
            Phrases.compile(lexicon.phrase_list(frames, "firm", f"{_FILE} frames")),
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
        """Whether a clause of a message frames its words as a joke or a hyperbole ("mdr", "😂")."""
        return any(self._framed(clause) for clause in self._clauses(text))

    def softened(self, text: str) -> bool:
        """Whether every distress phrase of a message is a hyperbole heard inside a frame.

        Only the kinds of SOFTENED may be softened, and only by a frame in the same clause
        as the phrase heard: "un animateur de colo m'a touché" or "jsuis à la rue mdr" never is.
        """
        heard = False
        for clause in self._clauses(text):
            kind = self.detect_folded(lexicon.fold(clause))
            if kind is None:
                continue
            heard = True
            if kind not in SOFTENED or not self._framed(clause):
                return False
        return heard

    def guess_allowed(self, text: str, kind: str) -> bool:
        """Whether a classifier's guess of `kind` may stand: no idiom, no veto, and for the
        kinds a frame may soften, no frame."""
        norm = lexicon.fold(text[:_SCAN_MAX_CHARS])
        if kind in SOFTENED and self.figurative(text):
            return False
        # A laugh is an idiom too ("mdr"), but it softens none of the other kinds.
        bare = norm if kind in SOFTENED else self.frames.remove(norm)
        if self.idioms.search(bare) is not None:
            return False  # "je crève de chaud": idioms are the lexicon's to judge, never a guess
        veto = self.kinds.get(kind)
        return veto is None or veto.veto.search(norm) is None

    def _clauses(self, text: str) -> list[str]:
        """The clauses of a message; a clause of frame markers alone ("mdr", "😂") belongs
        to the clause before it."""
        out: list[str] = []
        for part in _CLAUSE_RE.split(text[:_SCAN_MAX_CHARS]):
            if not part or not part.strip():
                continue
            rest = self.chores.remove(self.frames.remove(lexicon.fold(part)))
            if out and not _LETTER_RE.search(rest):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
        return out

    def _framed(self, clause: str) -> bool:
        """Whether one clause is said inside a frame. A chore done "encore" frames no
        first-person killing of oneself ("je vais me tuer si je dois encore y retourner")."""
        if any(mark in clause for mark in self.frame_marks):
            return True
        norm = lexicon.fold(clause)
        if self.frames.search(norm) is not None:
            return True
        return self.chores.search(norm) is not None and self.firm.search(norm) is None

    def _minor(self, norm: str, age: int | None) -> bool:
        return (age is not None and age < 18) or self.minor.search(norm) is not None
