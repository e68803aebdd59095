"""The validation part of each measured round: a seeded third never trained or tuned on."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol, TypeVar

from bot.nlu.lexicon import fold

# Rounds 2 to 4 (tests/nlu/dev/round2_*.toml, round3_*, round4_*): each round's validation
# third, drawn on its own before any tuning on it, so adding a round leaves the earlier parts as
# they were. The draw follows the cases' order in their files: edit those files and the part
# changes, so add new cases elsewhere.
ROUNDS = ("round2_", "round3_", "round4_")
SEED = 20261130
SHARE = 1 / 3
# Two cases whose word sets overlap this much are near-duplicates ("jveux un conseiller" and
# "je veux un conseiller stp"): they go to the same part, so one cannot teach the other's answer.
_NEAR = 0.6
_WORD_RE = re.compile(r"[a-z0-9]+")


class _Case(Protocol):
    @property
    def where(self) -> str: ...

    @property
    def text(self) -> str: ...


C = TypeVar("C", bound=_Case)


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD_RE.findall(fold(text)))


def _groups(cases: Sequence[_Case]) -> list[list[int]]:
    """Indexes of the cases, grouped so that near-duplicates stay together (union-find)."""
    parent = list(range(len(cases)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    words = [_words(c.text) for c in cases]
    for i in range(len(cases)):
        for j in range(i):
            a, b = words[i], words[j]
            if a and b and len(a & b) / len(a | b) >= _NEAR:
                parent[root(i)] = root(j)
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(len(cases)):
        out[root(i)].append(i)
    return sorted(out.values())


def validation_part(cases: Sequence[_Case]) -> frozenset[str]:
    """The `where` of every case set aside for validation, round by round (deterministic)."""
    picked: set[str] = set()
    for prefix in ROUNDS:
        picked |= _round_part([c for c in cases if c.where.startswith(prefix)])
    return frozenset(picked)


def _round_part(pool: Sequence[_Case]) -> frozenset[str]:
    """One round's seeded third, near-duplicates kept together."""
    groups = _groups(pool)
    random.Random(SEED).shuffle(groups)  # noqa: S311 (a reproducible split, not a secret)
    target = round(len(pool) * SHARE)
    picked: list[str] = []
    for group in groups:
        if len(picked) >= target:
            break
        picked += [pool[i].where for i in group]
    return frozenset(picked)


def split(cases: Sequence[C]) -> tuple[list[C], list[C]]:
    """The cases to tune on, and the validation part."""
    held = validation_part(cases)
    return [c for c in cases if c.where not in held], [c for c in cases if c.where in held]
