"""The validation part of round 2: a seeded third, near-duplicates kept together, never trained on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.nlu.report import load_cases
from bot.nlu.validation import ROUND, split, validation_part

DEV = Path(__file__).resolve().parent / "dev"


@dataclass(frozen=True)
class _Case:
    where: str
    text: str


def test_a_third_of_round_two_only_is_set_aside_and_always_the_same() -> None:
    cases = load_cases(DEV)
    tuning, validation = split(cases)
    pool = [c for c in cases if c.where.startswith(ROUND)]
    assert len(pool) >= 700
    assert abs(len(validation) - len(pool) / 3) <= 5
    assert all(c.where.startswith(ROUND) for c in validation)
    assert len(tuning) + len(validation) == len(cases)
    assert validation_part(load_cases(DEV)) == validation_part(cases)  # seeded: reproducible


def test_near_duplicates_land_in_the_same_part() -> None:
    texts = [f"mot{i} autre{i} encore{i}" for i in range(30)]
    cases = [_Case(f"{ROUND}x.toml case {i}", t) for i, t in enumerate(texts)]
    cases += [
        _Case(f"{ROUND}x.toml case 100", "jveux parler a un vrai conseiller"),
        _Case(f"{ROUND}x.toml case 101", "jveux parler a un vrai conseiller stp"),
        _Case("batch2.toml case 1", "jveux parler a un vrai conseiller"),
    ]
    held = validation_part(cases)
    assert ("x.toml case 100" in " ".join(held)) == ("x.toml case 101" in " ".join(held))
    assert "batch2.toml case 1" not in held
    assert 9 <= len(held) <= 13
