"""Requests a youth may make at any step: stop, erase, a person, restart, resume, help, privacy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.nlu import lexicon
from bot.nlu.lexicon import LexiconError, Phrases

_FILE = lexicon.file_name("intents")

INTENTS = ("stop", "erase", "person", "restart", "resume", "help", "privacy")
_FIELDS = {"whole", "anywhere", "veto", "guess_veto", "examples", "context"}
_CONTEXT_FIELDS = {"at", "veto", "whole"}


@dataclass(frozen=True, slots=True)
class _Context:
    at: frozenset[str]
    veto: Phrases
    whole: bool


@dataclass(frozen=True, slots=True)
class _Rule:
    whole: Phrases
    anywhere: Phrases
    veto: Phrases
    contexts: tuple[_Context, ...]
    examples: tuple[str, ...]
    guess_veto: Phrases  # rules out a classifier's guess, never a listed phrase


class IntentLexicon:
    """The intents of intents.toml, compiled once."""

    def __init__(self, fillers: list[str], rules: dict[str, _Rule]) -> None:
        alts = "|".join(sorted((lexicon.phrase_pattern(f) for f in fillers), key=len, reverse=True))
        self._lead = re.compile(f"^(?:{alts})+")
        self._trail = re.compile(f"(?<= )(?:{alts})+$")
        self.rules = rules

    @classmethod
    def load(cls, directory: Path = lexicon.DATA_DIR) -> IntentLexicon:
        data = lexicon.load(_FILE, directory)
        fillers = lexicon.phrase_list(
            lexicon.table(data, "fillers", _FILE), "phrases", f"{_FILE} fillers"
        )
        table = lexicon.table(data, "intent", _FILE)
        unknown = sorted(set(table) - set(INTENTS))
        if unknown:
            raise LexiconError(f"nlu data: intents.toml has an unknown intent {unknown[0]!r}")
        rules = {name: _rule(entry, f"{_FILE} intent.{name}") for name, entry in table.items()}
        return cls(fillers, rules)

    def trim(self, norm: str) -> str:
        """The message without polite or filler words around it."""
        core = self._lead.sub("", norm + " ").strip()
        return self._trail.sub("", f" {core} ").strip() if core else ""

    def detect(self, norm: str, core: str, at: str) -> set[str]:
        """Every intent the (normalised, trimmed) message carries at step `at`."""
        found = set()
        for name, rule in self.rules.items():
            contexts = [c for c in rule.contexts if at in c.at]
            whole_ok = all(c.whole for c in contexts)
            hit = (whole_ok and rule.whole.fullmatch(core)) or rule.anywhere.search(norm)
            if not hit:
                continue
            if rule.veto.search(norm) or any(c.veto.search(norm) for c in contexts):
                continue
            found.add(name)
        return found

    def detect_parts(self, norm: str, parts: list[str], at: str, names: frozenset[str]) -> set[str]:
        """The intents among `names` that one part of the message says whole ("non, stop")."""
        found = set()
        for name in names:
            rule = self.rules[name]
            contexts = [c for c in rule.contexts if at in c.at]
            if not all(c.whole for c in contexts):
                continue
            if not any(rule.whole.fullmatch(self.trim(part)) for part in parts):
                continue
            if rule.veto.search(norm) or any(c.veto.search(norm) for c in contexts):
                continue
            found.add(name)
        return found

    def vetoed(self, name: str, norm: str, at: str, *, guess: bool = False) -> bool:
        """Whether the intent's vetoes, or those of step `at`, rule it out for this message.

        With `guess`, the intent's `guess_veto` counts too: "ça va merci et vous ?" is no stop
        a classifier may hear, though "ça va, j'arrête" says one in so many words.
        """
        rule = self.rules[name]
        if guess and rule.guess_veto.search(norm) is not None:
            return True
        return rule.veto.search(norm) is not None or any(
            c.veto.search(norm) for c in rule.contexts if at in c.at
        )


def _rule(entry: Any, where: str) -> _Rule:
    if not isinstance(entry, dict):
        raise LexiconError(f"nlu data: {where} must be a table")
    lexicon.check_keys(entry, _FIELDS, where)
    contexts = []
    for i, ctx in enumerate(entry.get("context", [])):
        cwhere = f"{where}.context[{i}]"
        if not isinstance(ctx, dict):
            raise LexiconError(f"nlu data: {cwhere} must be a table")
        lexicon.check_keys(ctx, _CONTEXT_FIELDS, cwhere)
        at = lexicon.text_list(ctx, "at", cwhere)
        if not at:
            raise LexiconError(f"nlu data: {cwhere} needs at least one step in at")
        whole = ctx.get("whole", True)
        if not isinstance(whole, bool):
            raise LexiconError(f"nlu data: {cwhere}.whole must be true or false")
        veto = Phrases.compile(lexicon.phrase_list(ctx, "veto", cwhere))
        contexts.append(_Context(frozenset(at), veto, whole))
    return _Rule(
        whole=Phrases.compile(lexicon.phrase_list(entry, "whole", where)),
        anywhere=Phrases.compile(lexicon.phrase_list(entry, "anywhere", where)),
        veto=Phrases.compile(lexicon.phrase_list(entry, "veto", where)),
        contexts=tuple(contexts),
        examples=tuple(lexicon.text_list(entry, "examples", where)),
        guess_veto=Phrases.compile(lexicon.phrase_list(entry, "guess_veto", where)),
    )
