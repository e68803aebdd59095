"""The validation part of each round: a seeded third, near-duplicates kept together, never trained on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.nlu.report import load_cases
from bot.nlu.validation import ROUNDS, split, validation_part

ROUND = ROUNDS[0]

DEV = Path(__file__).resolve().parent / "dev"


@dataclass(frozen=True)
class _Case:
    where: str
    text: str


def test_a_third_of_each_measured_round_only_is_set_aside_and_always_the_same() -> None:
    cases = load_cases(DEV)
    tuning, validation = split(cases)
    for prefix in ROUNDS:
        pool = [c for c in cases if c.where.startswith(prefix)]
        part = [c for c in validation if c.where.startswith(prefix)]
        assert len(pool) >= 700, prefix
        assert abs(len(part) - len(pool) / 3) <= 5, prefix
    assert all(c.where.startswith(ROUNDS) for c in validation)
    assert len(tuning) + len(validation) == len(cases)
    assert validation_part(load_cases(DEV)) == validation_part(cases)  # seeded: reproducible


def test_adding_a_round_leaves_the_earlier_rounds_part_as_it_was() -> None:
    cases = load_cases(DEV)
    earlier = [c for c in cases if not c.where.startswith(ROUNDS[-1])]
    assert validation_part(earlier) == {
        w for w in validation_part(cases) if not w.startswith(ROUNDS[-1])
    }


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
