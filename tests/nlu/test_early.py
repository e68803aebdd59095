"""Tests for bot.nlu.early: answers given before they are asked."""

from __future__ import annotations

import pytest
from hypothesis import given

from bot.nlu.communes import CommuneIndex
from bot.nlu.early import extract_unasked, find_commune
from tests.support.text import ANY_TEXT, FUZZ, TODAY


@pytest.fixture(scope="module")
def index() -> CommuneIndex:
    return CommuneIndex.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slt je cherche un taf vers Verdun", {"need": "job", "commune": "Verdun"}),
        ("bonjour j'ai 19 ans et je cherche une formation", {"need": "training", "age": 19}),
        (
            "j'habite à Stenay et je veux passer le permis",
            {"need": "mobility", "commune": "Stenay"},
        ),
        (
            "j'ai besoin d'aide pour trouver un appart sur Bar-le-Duc",
            {"need": "housing", "commune": "Bar-le-Duc"},
        ),
        ("coucou moi c lina jsuis de commercy", {"commune": "Commercy"}),
        ("je cherche un stage à st mihiel", {"need": "training", "commune": "Saint-Mihiel"}),
        ("je cherche un taf près de Dun", {"need": "job", "commune": "Dun-sur-Meuse"}),
        ("j'habite à côté de Verdun, à Belleville", {"commune": "Belleville-sur-Meuse"}),
        (
            "salut, je cherche un apprentissage en boulangerie vers Étain",
            {"need": "job", "commune": "Étain"},
        ),
        ("je cherche du boulot dans la vente", {"need": "job"}),
        ("je veux faire de la mécanique", {"need": "job"}),
        ("j'ai 2 enfants et je cherche du taf", {"need": "job"}),
        ("euh j'ai 21 ans pas 20", {"age": 21}),
        ("jcherche un job, c gratuit ?", {"need": "job"}),
        # Corrections of an earlier answer, sent at a later question.
        ("pardon je voulais dire Stenay", {"commune": "Stenay"}),
        ("en fait c'est Stenay pas Verdun", {"commune": "Stenay"}),
        ("j'habite plus à Verdun, à Stenay maintenant", {"commune": "Stenay"}),
        ("ah non j'ai 21 ans pas 20", {"age": 21}),
        # A first name only with "je m'appelle" or "mon prénom c'est".
        (
            "slt je m'appelle Lina et je cherche un taf vers Verdun",
            {"first_name": "Lina", "need": "job", "commune": "Verdun"},
        ),
        ("bonjour, mon prénom c'est Inès, j'ai 19 ans", {"first_name": "Inès", "age": 19}),
        ("jm'apelle kevin jsuis de stenay", {"first_name": "Kevin", "commune": "Stenay"}),
    ],
)
def test_plain_statements_are_kept(
    index: CommuneIndex, text: str, expected: dict[str, object]
) -> None:
    assert extract_unasked(text, index, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "slt",
        "bonjour",
        "c'est quoi une formation ?",
        "vous êtes où ?",
        "je veux parler à quelqu'un",
        "j'en ai marre de rien faire",
        "je suis dans la merde",
        "je suis de la Meuse",
        "je cherche à comprendre",
        "j'ai 2 frères",
        "17",
        "je suis née en 2006",
        "pas besoin de permis",
        "j'ai 19 ou 20 ans",
        # A commune elsewhere or a fuzzy guess is left to the commune question.
        "je suis à Paris",
        "j'habite vers verdin",
        "j'habite pas à Verdun",
        "je suis plus sur Verdun",
        "je veux dire merci",
        "je veux qu'on m'appelle demain",
        "moi c'est compliqué",
        "je m'appelle pas Lina",
        "comment je m'appelle ?",
    ],
)
def test_unclear_messages_give_nothing(index: CommuneIndex, text: str) -> None:
    assert extract_unasked(text, index, TODAY) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tu peux m'appeler au 0612345678", {"phone": "+33612345678"}),
        ("nope, le num c'est 06 87 65 43 21", {"phone": "+33687654321"}),
        ("prends plutot mon mail : ines.b55@hotmail.fr", {"email": "ines.b55@hotmail.fr"}),
    ],
)
def test_a_number_or_an_address_is_kept_at_any_step(
    index: CommuneIndex, text: str, expected: dict[str, str]
) -> None:
    assert extract_unasked(text, index, TODAY) == expected


def test_two_communes_give_none(index: CommuneIndex) -> None:
    assert find_commune("j'habite à Stenay ou à Verdun je sais plus", index) is None


@FUZZ
@given(ANY_TEXT)
def test_extract_unasked_never_raises(text: str) -> None:
    values = extract_unasked(text, _INDEX, TODAY)
    assert set(values) <= {"need", "commune", "age", "first_name", "phone", "email", "availability"}


_INDEX = CommuneIndex.load()
