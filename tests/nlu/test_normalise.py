"""Tests for bot.nlu.normalise."""

from __future__ import annotations

import pytest
from hypothesis import given

from bot.nlu.normalise import normalize
from tests.support.text import ANY_TEXT, FUZZ

# ---------------------------------------------------------------------------
# normalize
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J'ai 18 ANS 😊 !!", "j ai 18 ans"),
        ("  Arrête   ça  ", "arrete ca"),
        ("Conseillère", "conseillere"),
        ("aujourd’hui", "aujourd hui"),
        ("Ça\tmarche\n", "ca marche"),
        ("œuvre cœur", "oeuvre coeur"),
        ("Jean-Baptiste", "jean baptiste"),
        ("STOP!!!", "stop"),
        ("👍", ""),
        ("", ""),
        ("   ", ""),
        ("l'aprèm", "l aprem"),
        ("ＦＵＬＬ　ｗｉｄｔｈ １２", "full width 12"),
        ("straße", "strasse"),
        ("e\u0301te\u0301", "ete"),
        ("n°12", "n 12"),
        ("snake_case", "snake case"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@FUZZ
@given(ANY_TEXT)
def test_normalize_property(text: str) -> None:
    result = normalize(text)
    assert isinstance(result, str)
    assert result == result.strip()
    assert "  " not in result
    assert result == result.lower() or not result.isascii()
    assert normalize(result) == result
