"""Tests for bot.nlu.numbers: glued number words and text2num behind the normaliser."""

from __future__ import annotations

import pytest
from hypothesis import given

from bot.nlu.normalise import normalize
from bot.nlu.numbers import split_glued, words_to_digits
from tests.support.text import ANY_TEXT, FUZZ


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("dixneuf", ("dix", "neuf")),
        ("vingtetun", ("vingt", "et", "un")),
        ("quatrevingtdixneuf", ("quatre", "vingt", "dix", "neuf")),
        ("deuxmillesix", ("deux", "mille", "six")),
    ],
)
def test_glued_number_words_are_split(token: str, parts: tuple[str, ...]) -> None:
    assert split_glued(token) == parts


@pytest.mark.parametrize("token", ["neuf", "unet", "dixiemement", "vingtaine", "bonjour", "19", ""])
def test_other_tokens_are_not_split(token: str) -> None:
    assert split_glued(token) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J'ai dix-neuf ans", "j ai 19 ans"),
        ("jai dixneuf ans", "jai 19 ans"),
        ("vingt et un", "21"),
        ("vingt-deux ans", "22 ans"),
        ("soixante-dix", "70"),
        ("j'ai une question", "j ai une question"),
        ("un taf", "un taf"),
        ("19 ans", "19 ans"),
    ],
)
def test_words_to_digits(text: str, expected: str) -> None:
    assert words_to_digits(normalize(text)) == expected


@FUZZ
@given(ANY_TEXT)
def test_words_to_digits_never_raises(text: str) -> None:
    assert isinstance(words_to_digits(normalize(text)), str)
