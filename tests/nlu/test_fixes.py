"""Corrections at the summary: the words that ask for one, and the field they name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.nlu.fixes import FixLexicon, default_fixes
from bot.nlu.lexicon import LexiconError
from tests.flows.test_intake import FULL, run


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("je veux changer mon numéro", True),
        ("y a une erreur", True),
        ("c'est pas bon", True),
        ("je me suis trompée d'âge", True),
        ("faut modifier la ville", True),
        ("rien à changer", False),
        ("tout est juste, rien a changer ni a enlever", False),
        ("pas besoin de corriger, c'est parfait", False),
        ("aucune erreur", False),
        ("oui", False),
    ],
)
def test_a_correction_is_asked_for_and_rien_a_changer_is_not_one(text: str, wanted: bool) -> None:
    assert default_fixes().wants_fix(text) is wanted


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("mon numéro", "contact"),
        ("mon prénom", "first_name"),
        ("l'âge", "age"),
        ("la ville", "commune"),
        ("mes dispos", "availability"),
        ("ce dont j'ai besoin", "need"),
        ("dans deux semaines", None),  # "ans" inside "dans" is no age
        ("euh", None),
    ],
)
def test_the_field_is_named_by_whole_words(text: str, field: str | None) -> None:
    assert default_fixes().field(text) == field


def test_a_fixes_file_without_every_field_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fixes.toml").write_text(
        '[wants_fix]\nphrases = ["chang~"]\n\n[fields]\nage = ["age"]\n', encoding="utf-8"
    )
    with pytest.raises(LexiconError, match=r"fixes\.toml \[fields\]"):
        FixLexicon.load(tmp_path)


def test_rien_a_changer_at_the_summary_confirms_instead_of_opening_the_menu(deps: Any) -> None:
    r = run(deps, "summary", FULL, text="rien à changer")
    assert r.state == "done"
    assert [(e.kind, e.reason) for e in r.effects] == [("open_ticket", "intake_done")]


def test_asking_to_change_at_the_summary_opens_the_menu(deps: Any) -> None:
    r = run(deps, "summary", FULL, text="c'est pas bon, je veux changer un truc")
    assert r.state == "fix_which"


def test_dans_at_the_menu_is_not_the_age(deps: Any) -> None:
    r = run(deps, "fix_which", FULL, text="la ville dans laquelle j'habite")
    assert r.state == "ask_commune"
