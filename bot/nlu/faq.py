"""Youths' questions: which topic a message asks about, and the catalogue's answer to it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.nlu import lexicon
from bot.nlu.lexicon import LexiconError, Phrases

_FILE = lexicon.file_name("faq")

TOPICS = (
    "who",
    "free",
    "mission_locale",
    "why_asked",
    "confidential",
    "age_limits",
    "travel",
    "chantier",
    "requirements",
    "when_answer",
    "already_followed",
    "how_stop",
)
_QUESTION_MARKS = "?¿？⁇❓❔"


@dataclass(frozen=True, slots=True)
class _Topic:
    ask: Phrases
    about: Phrases
    veto: Phrases
    examples: tuple[str, ...]


class FaqLexicon:
    """The topics of faq.toml, compiled once."""

    def __init__(self, cues: Phrases, topics: dict[str, _Topic]) -> None:
        self.cues, self.topics = cues, topics

    @classmethod
    def load(cls, directory: Path = lexicon.DATA_DIR) -> FaqLexicon:
        data = lexicon.load(_FILE, directory)
        lexicon.check_keys(data, {"question", "topic"}, _FILE)
        question = lexicon.table(data, "question", _FILE)
        cues = Phrases.compile(lexicon.phrase_list(question, "cues", f"{_FILE} question"))
        table = lexicon.table(data, "topic", _FILE)
        missing = [t for t in TOPICS if t not in table]
        unknown = sorted(set(table) - set(TOPICS))
        if missing or unknown:
            bad = missing[0] if missing else unknown[0]
            raise LexiconError(f"nlu data: faq.toml topic.{bad}: expected exactly {TOPICS}")
        return cls(cues, {name: _topic(table[name], f"{_FILE} topic.{name}") for name in TOPICS})

    def is_question(self, raw: str, norm: str) -> bool:
        return any(mark in raw for mark in _QUESTION_MARKS) or self.cues.search(norm) is not None

    def topic(self, raw: str, norm: str) -> str | None:
        """The topic a message asks about, or None when it asks nothing we know."""
        asking = self.is_question(raw, norm)
        best, best_score = None, 0
        for name, topic in self.topics.items():
            asks = topic.ask.count(norm)
            about = topic.about.count(norm) if asks or asking else 0
            score = 2 * asks + about
            if score > best_score and not topic.veto.search(norm):
                best, best_score = name, score
        return best

    def asks(self, topic: str, norm: str) -> bool:
        """Whether the message asks about `topic` in so many words, not by a keyword alone."""
        return self.topics[topic].ask.search(norm) is not None


def _topic(entry: Any, where: str) -> _Topic:
    if not isinstance(entry, dict):
        raise LexiconError(f"nlu data: {where} must be a table")
    lexicon.check_keys(entry, {"ask", "about", "veto", "examples"}, where)
    ask = lexicon.phrase_list(entry, "ask", where)
    if not ask:
        raise LexiconError(f"nlu data: {where}.ask is empty")
    return _Topic(
        Phrases.compile(ask),
        Phrases.compile(lexicon.phrase_list(entry, "about", where)),
        Phrases.compile(lexicon.phrase_list(entry, "veto", where)),
        tuple(lexicon.text_list(entry, "examples", where)),
    )


def answer_key(topic: str, at: str, keys: Collection[str]) -> str:
    """The catalogue key answering `topic` at step `at` ("why_asked" depends on the step)."""
    if topic == "why_asked" and f"faq.why_asked_{at}" in keys:
        return f"faq.why_asked_{at}"
    return f"faq.{topic}"
