"""Tests for bot.nlu.age."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.age import parse_age
from tests.support.text import ANY_TEXT, FUZZ, TODAY

# ---------------------------------------------------------------------------
# parse_age
# ---------------------------------------------------------------------------

AGE_CASES = [
    ("17", 17),
    ("17 ans", 17),
    ("17ans", 17),
    ("jai 19ans", 19),
    ("j'ai 19 ans", 19),
    ("J'AI 19 ANS", 19),
    ("g 22 ans", 22),
    ("dix-sept", 17),
    ("dix sept ans", 17),
    ("dix sept", 17),
    ("dixsept", 17),
    ("j'ai dix-huit ans", 18),
    ("vingt et un", 21),
    ("vingt-et-un ans", 21),
    ("vingt-deux", 22),
    ("vingt deux ans", 22),
    ("seize", 16),
    ("vingt neuf", 29),
    ("soixante-dix", 70),
    ("quatre-vingt-dix-neuf", 99),
    ("19 ans bientot 20", 19),
    ("19 ans bientôt 20 !", 19),
    ("j'ai 19, bientôt 20", 19),
    ("bientot 18", 17),
    ("12/03/2006", 19),
    ("12-03-06", 19),
    ("12.03.2006", 19),
    ("12/03/06", 19),
    ("15/06/2006", 19),  # birthday today
    ("16/06/2006", 18),  # birthday tomorrow
    ("né le 12 mars 2006", 19),
    ("née le 1er juillet 2005", 19),
    ("le 3 février 2004", 21),
    ("12 03 2006", 19),
    ("12032006", 19),
    ("2006-03-12", 19),
    ("mars 2006", 19),
    ("juin 2006", 18),  # lower bound when the day is unknown
    ("2006", 18),  # birth year alone: the lower age
    ("je suis de 2006", 18),
    ("né en 2000", 24),
    ("✌️ 18", 18),
    ("18a", 18),
    ("18 a", 18),
    ("18 piges", 18),
    ("18 balais", 18),
    ("j'ai 18 ans et demi", 18),
    ("18 ans 1/2", 18),
    ("  18  ", 18),
    ("18 !!", 18),
    ("j'ai 25 ans et mon numéro c'est 0612345678", 25),
    ("99", 99),
    ("5", 5),
    ("j'ai 17 ans et mon frère 20", 17),
    ("12/03/99", 26),
    ("17,5", 17),
    ("17.5", 17),
    ("06/2006", 18),
    ("2006/03/12", 19),
    ("presque 18", 17),
    ("mon anniv c le 12 mars, j'ai 19 ans", 19),
    ("19yo", 19),
    ("21an", 21),
    ("vingt et un an", 21),
    ("quatrevingtdixneuf", 99),
    ("vingtetun ans", 21),
]

# Corrections and denials: the number the youth means is the one they keep.
AGE_CORRECTIONS = [
    ("euh attend non j'ai 21 pas 20", 21),
    ("pas 20 ans, 21", 21),
    ("21 et pas 20", 21),
    ("20 non 21", 21),
    ("j'ai 20 ans enfin 21", 21),
    ("j'ai vingt ans, pardon vingt et un", 21),
    ("j'ai 18 ans non 19 ans", 19),
    ("g 20ans dsl 21", 21),
    ("jai 17ans mais pas 18", 17),
    ("non j'ai 22 ans", 22),
    ("oups 19 en fait", 19),
    ("ché pas 20 je crois", 20),
    ("jsais pas, 19", 19),
    ("dans 2 mois 18", 17),
    ("j'ai dix neuf ans et demi", 19),
]

AGE_NONE = [
    "",
    "😊",
    "je sais pas",
    "4",
    "100",
    "150 ans",
    "0",
    "17 ou 18",
    "17 18",
    "0612345678",
    "31/02/2006",
    "12/03/2030",  # future
    "2030",
    "1800",
    "12/03/24",  # age 1
    "ans",
    "lina",
    "un",
    "j'ai une question",
    "deux",
    "06",
    "1234",
    "12 mars",
    "le 12 mars",
    "13/2006",
    "18 ou 19 je sais plus",
    "18-19",
    "jai 2O ans",
    "majeur",
    "pas 20",
    "18 non 19 non 20 ou 21",
]


@pytest.mark.parametrize(("text", "expected"), AGE_CASES)
def test_parse_age(text: str, expected: int) -> None:
    assert parse_age(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), AGE_CORRECTIONS)
def test_parse_age_corrections(text: str, expected: int) -> None:
    assert parse_age(text, TODAY) == expected


@pytest.mark.parametrize("text", AGE_NONE)
def test_parse_age_none(text: str) -> None:
    assert parse_age(text, TODAY) is None


def test_parse_age_two_digit_year_century() -> None:
    # "06" is 2006 (age 19), "98" is 1998 (age 27), never in the future.
    assert parse_age("01/01/06", TODAY) == 19
    assert parse_age("01/01/98", TODAY) == 27
    assert parse_age("01/01/25", TODAY) is None  # 2025: age 0, out of range
    assert parse_age("01/01/26", TODAY) == 99  # 2026 is in the future -> 1926


@FUZZ
@given(
    ANY_TEXT, st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))
)
def test_parse_age_property(text: str, today: datetime.date) -> None:
    result = parse_age(text, today)
    assert result is None or (isinstance(result, int) and 5 <= result <= 99)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("j'ai 18 ans, demain j'ai un entretien", 18),  # the future is in another clause
        ("19 ans. après demain je suis dispo", 19),
        ("jai 18 ans demain jai un entretien", 18),  # never an age to come after "j'ai"
        ("16 ans en mars j'aurai 17", 16),  # "en mars" after "ans" is no future
        ("18 en mars", 17),
        ("17 demain", 16),
    ],
)
def test_an_age_to_come_stays_in_its_clause(text: str, expected: int) -> None:
    assert parse_age(text, datetime.date(2026, 11, 30)) == expected
