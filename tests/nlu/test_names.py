"""Tests for bot.nlu.names."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from bot.nlu.names import parse_first_name, stated_first_name
from tests.support.text import ANY_TEXT, FUZZ

# ---------------------------------------------------------------------------
# parse_first_name
# ---------------------------------------------------------------------------

NAME_CASES = [
    ("Lina", "Lina"),
    ("lina", "Lina"),
    ("LINA", "Lina"),
    ("  lina  ", "Lina"),
    ("lina.", "Lina"),
    ("Lina !", "Lina"),
    ("je m'appelle Lina", "Lina"),
    ("je m’appelle lina", "Lina"),
    ("Je m appelle Lina", "Lina"),
    ("jm'appelle lina", "Lina"),
    ("je mapelle Lina", "Lina"),
    ("moi c'est Yanis", "Yanis"),
    ("moi c Yanis", "Yanis"),
    ("moi cest yanis", "Yanis"),
    ("c Kevin", "Kevin"),
    ("c'est Kevin", "Kevin"),
    ("cest kevin", "Kevin"),
    ("Jean-Baptiste", "Jean-Baptiste"),
    ("jean-baptiste", "Jean-Baptiste"),
    ("JEAN-BAPTISTE", "Jean-Baptiste"),
    ("jean baptiste", "Jean Baptiste"),
    ("Zoé 😊", "Zoé"),
    ("zoé", "Zoé"),
    ("Inès", "Inès"),
    ("Dédé", "Dédé"),
    ("Mimi", "Mimi"),
    ("mimi", "Mimi"),
    ("Marie-Ève", "Marie-Ève"),
    ("Noé", "Noé"),
    ("Éloïse", "Éloïse"),
    ("n'golo", "N'Golo"),
    ("Salut ! moi c'est Sarah", "Sarah"),
    ("bonjour je m'appelle Lucas", "Lucas"),
    ("Lina, 19 ans", "Lina"),
    ("Lina et toi ?", "Lina"),
    ("je m'appelle Lina et j'ai 19 ans", "Lina"),
    ("mon prénom c'est Léa", "Léa"),
    ("Prénom : Léa", "Léa"),
    ("Lina M.", "Lina"),
    ("Mohamed", "Mohamed"),
    ("mohamed ali", "Mohamed Ali"),
    ("Aïcha", "Aïcha"),
    ("DeShawn", "DeShawn"),
    ("Stéphane", "Stéphane"),
    ("Marie", "Marie"),
    ("yo c Rayan", "Rayan"),
    ("appelle moi Dédé", "Dédé"),
    ("on m'appelle Mimi", "Mimi"),
    ("Lina 🌸✨", "Lina"),
    ("😊 Lina", "Lina"),
    ("محمد", "محمد"),
    ('"Lina"', "Lina"),
    ("(Lina)", "Lina"),
    ("« Lina »", "Lina"),
    ("Lina ou Lili", "Lina"),
    ("je m'appelle Lina mais on m'appelle Lili", "Lina"),
    ("Lili pour les intimes", "Lili"),
    ("mc kenzie", "Mc Kenzie"),
    ("Mon blaze c Rayan", "Rayan"),
    ("wesh c momo", "Momo"),
    ("lina, 19 ans, verdun", "Lina"),
    ("Lina - 19 ans", "Lina"),
    ("LiNa", "LiNa"),
]

NAME_REJECTS = [
    ("", "empty"),
    ("   ", "empty"),
    ("😊", "empty"),
    ("😊😊🙏", "empty"),
    ("...", "empty"),
    ("?!", "empty"),
    ("je m'appelle 😊", "empty"),
    ("12345", "digits"),
    ("0612345678", "digits"),
    ("06 12 34 56 78", "digits"),
    ("lina92", "digits"),
    ("xXlina92Xx", "digits"),
    ("https://insta.com/lina", "link"),
    ("www.lina.fr", "link"),
    ("@lina_m", "link"),
    ("lina.m@gmail.com", "link"),
    ("insta: @lina", "link"),
    ("lina.fr", "link"),
    ("je sais pas", "not_a_name"),
    ("pourquoi ?", "not_a_name"),
    ("oui", "not_a_name"),
    ("non", "not_a_name"),
    ("stop", "not_a_name"),
    ("salut", "not_a_name"),
    ("jsp", "not_a_name"),
    ("qsdfgh", "not_a_name"),
    ("aaaaaa", "not_a_name"),
    ("x", "not_a_name"),
    ("je veux pas te le dire", "not_a_name"),
    ("je cherche un taf", "not_a_name"),
    ("a" * 41, "not_a_name"),
    ("Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq", "too_long"),
    ("Jean-Baptiste-Alexandre-Maximilien-Christophe", "too_long"),
    ("je m'appelle " + "b" * 400, "too_long"),
]


# Names inside chatter, and "Humain" as a surname (a request for a person is
# read by the engine before the answer).
NAME_CHATTER = [
    ("moi c'est Lina", "Lina"),
    ("jm'appelle kevin", "Kevin"),
    ("cc cv moi c Yanis", "Yanis"),
    ("slt ça va ? moi c Lina", "Lina"),
    ("euh moi c Lina lol", "Lina"),
    ("ouais jm'apelle Inès", "Inès"),
    ("bjr, moi c'est Jean-Marc, j'ai 19 ans", "Jean-Marc"),
    ("c Lina jsuis de Verdun", "Lina"),
    ("moi, je m'appelle Sarah", "Sarah"),
    ("appelez-moi Dédé", "Dédé"),
    ("jsuis Noah", "Noah"),
    ("Humain", "Humain"),
    ("Imane", "Imane"),
    ("Cédric", "Cédric"),
    ("Kévin avec un accent", "Kévin"),
]

# Ordinary answers and commands are not names.
NAME_HIJACKS = [
    "je suis perdu",
    "oui vas y",
    "tranquille et toi",
    "je veux un conseiller",
    "conseiller",
    "reprendre",
    "/start",
    "/humain",
    "tout recommencer",
    "stooop",
    "vie privée",
    "c'est reparti",
    "le matin",
]


@pytest.mark.parametrize(("text", "expected"), NAME_CHATTER)
def test_parse_first_name_in_chatter(text: str, expected: str) -> None:
    assert parse_first_name(text) == (expected, None)


@pytest.mark.parametrize("text", NAME_HIJACKS)
def test_ordinary_words_are_not_names(text: str) -> None:
    assert parse_first_name(text) == (None, "not_a_name")


@pytest.mark.parametrize(("text", "expected"), NAME_CASES)
def test_parse_first_name(text: str, expected: str) -> None:
    assert parse_first_name(text) == (expected, None)


@pytest.mark.parametrize(("text", "reason"), NAME_REJECTS)
def test_parse_first_name_rejects(text: str, reason: str) -> None:
    assert parse_first_name(text) == (None, reason)


@FUZZ
@given(ANY_TEXT)
def test_parse_first_name_property(text: str) -> None:
    name, reason = parse_first_name(text)
    assert (name is None) != (reason is None)
    if name is not None:
        assert isinstance(name, str)
        assert 2 <= len(name) <= 40
        assert name == name.strip()
        assert not any(c.isdigit() for c in name)
        assert "@" not in name
    else:
        assert reason in {"empty", "too_long", "digits", "link", "not_a_name"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slt je m'appelle Lina et je cherche un taf", "Lina"),
        ("bonjour, mon prénom c'est Inès, j'ai 19 ans", "Inès"),
        ("je veux qu'on m'appelle demain", None),
        ("moi c'est compliqué", None),
        ("je m'appelle pas Lina", None),
        ("tu peux m'appeler au 0612345678", None),
    ],
)
def test_stated_first_name(text: str, expected: str | None) -> None:
    assert stated_first_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bonjour, moi c'est Sofiane, 19 ans, j'habite a stenay", "Sofiane"),
        ("slt moi c lucas jai 17 ans jcherche un taf", "Lucas"),
        ("bjr moi c est emma, je cherche un taf", "Emma"),
        ("moi c'est compliqué", None),
        ("moi c bon", None),
        ("moi c est la galere, jai 20 ans", None),
    ],
)
def test_moi_c_est_names_the_youth_only_when_written_as_a_name(
    text: str, expected: str | None
) -> None:
    assert stated_first_name(text) == expected


@pytest.mark.parametrize(
    "text", ["non merci, Verdun", "jsuis de Verdun, Stenay", "ok, Parfait", "ok, Nickel"]
)
def test_a_commune_or_a_yes_last_is_no_first_name(text: str, deps: Any) -> None:
    # Issue 8: the chatter-then-name rule never takes a commune or a yes / no word.
    assert parse_first_name(text, deps.communes)[0] is None


def test_a_name_after_chatter_is_still_read(deps: Any) -> None:
    assert parse_first_name("ben c'est sur mon profil, Tom", deps.communes) == ("Tom", None)
    assert parse_first_name("je m'appelle Parfait", deps.communes) == ("Parfait", None)
