"""Tests for bot.nlu.yesno."""

from __future__ import annotations

import pytest
from hypothesis import given

from bot.nlu.yesno import parse_yes_no
from tests.support.text import ANY_TEXT, FUZZ, ORDINARY

# ---------------------------------------------------------------------------
# parse_yes_no
# ---------------------------------------------------------------------------

YES_NO_CASES = [
    ("oui", True),
    ("Oui", True),
    ("OUI !!", True),
    ("ouiii", True),
    ("ouii", True),
    ("ouais", True),
    ("ouai", True),
    ("wesh oui", True),
    ("ok", True),
    ("OK", True),
    ("okay", True),
    ("d'accord", True),
    ("dac", True),
    ("daccord", True),
    ("grave", True),
    ("grave oui", True),
    ("yes", True),
    ("yesss", True),
    ("👍", True),
    ("👍👍", True),
    ("ok 👍", True),
    ("c bon", True),
    ("c'est bon", True),
    ("exact", True),
    ("exactement", True),
    ("carrément", True),
    ("bien sûr", True),
    ("ça marche", True),
    ("vas-y", True),
    ("oui merci", True),
    ("oui stp", True),
    ("ouais grave", True),
    ("ben oui", True),
    ("oui oui", True),
    ("oui c'est ça", True),
    ("oui je suis d'accord", True),
    ("pas de souci", True),
    ("pas de probleme", True),
    ("ok pas de soucis", True),
    ("si", True),
    ("yep", True),
    ("oui 😊", True),
    ("je pense que oui", True),
    ("  oui  ", True),
    ("non", False),
    ("Non", False),
    ("NON !", False),
    ("nan", False),
    ("nn", False),
    ("nope", False),
    ("no", False),
    ("pas du tout", False),
    ("pas vraiment", False),
    ("non merci", False),
    ("nan merci", False),
    ("non pas du tout", False),
    ("jamais", False),
    ("non jamais", False),
    ("nooon", False),
    ("👎", False),
    ("pas d'accord", False),
    ("c'est pas bon", False),
    ("non je n'ai pas le permis", False),
    ("bah non", False),
    ("euh non", False),
    ("pas", False),
    ("je veux pas", False),
    ("ofc", True),
    ("c clair", True),
    ("azy", True),
    ("✅", True),
    ("❌", False),
    ("je pense pas", False),
    ("je crois que non", False),
]

YES_NO_NONE = [
    "",
    "   ",
    "😊",
    "je sais pas",
    "jsp",
    "peut-être",
    "bof",
    "oui mais non",
    "ouais nan",
    "oui non",
    "oui 👎",
    "oui mais pas maintenant",
    "si je peux",
    "bien et toi",
    *[t for t in ORDINARY if t not in {"Personne"}],
    "jean",
    "okapi",
    "nonante",
    "ouistiti",
    "pourquoi ?",
    "ouais bof",
    "oui jsp",
    "nan jsp",
    "oui peut-être",
    "ok non",
    "mouais",
    "🙏",
]


@pytest.mark.parametrize(("text", "expected"), YES_NO_CASES)
def test_parse_yes_no(text: str, expected: bool) -> None:
    assert parse_yes_no(text) is expected


# A question or an exception is not a plain yes.
@pytest.mark.parametrize(
    "text", ["ok mais c'est quoi ?", "oui sauf mon numéro", "oui à part l'âge", "presque"]
)
def test_parse_yes_no_not_plain(text: str) -> None:
    assert parse_yes_no(text) is None


@pytest.mark.parametrize("text", YES_NO_NONE)
def test_parse_yes_no_none(text: str) -> None:
    assert parse_yes_no(text) is None


@FUZZ
@given(ANY_TEXT)
def test_parse_yes_no_property(text: str) -> None:
    assert parse_yes_no(text) in (True, False, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mort de rire, ouais c bien ca", True),
        ("ça me fait une belle jambe ton truc, mais ok vas y", True),
        ("pas besoin d'effacer quoi que ce soit, c'est bon comme ça", True),
        ("bon ben, non", False),
        ("oui, mais non", False),
        ("ouais, c quoi le chantier ?", None),  # a question comes before the answer
        ("je sais pas, peut etre", None),
    ],
)
def test_chatter_before_the_answer_is_skipped(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected


# At an offer (the welcome, a counsellor proposed) "fine as it is" declines and "let's go"
# takes it up; at the summary the same words confirm or say nothing.
OFFER_CASES = [
    ("merci mais non merci", False, False),
    ("merci mais ça ira", False, True),
    ("ça ira merci", False, True),
    ("C BON MERCI CA IRA", False, True),
    ("non c bon merci", False, None),
    ("merci c gentil mais jvais me débrouiller seul", False, None),
    ("c'est sympa mais pas pour l'instant", False, None),
    ("merci mais oui", True, True),
    ("merci mais c koi exactement ?", None, None),
    ("mouais allez", True, None),
    ("on y va", True, None),
    ("on commence ?", True, None),
    ("ma conseillère m'a passé le lien, on y va", True, None),
    ("c bon", True, True),
    ("ok", True, True),
    ("non", False, False),
]


@pytest.mark.parametrize(("text", "at_offer", "at_summary"), OFFER_CASES)
def test_offer_reading(text: str, at_offer: bool | None, at_summary: bool | None) -> None:
    assert parse_yes_no(text, offer=True) is at_offer
    assert parse_yes_no(text) is at_summary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mrc bcp franchement mais jvais voir tout seul", False),  # thanks, a few words, but
        ("merci infiniment c'est trop gentil mais non", False),
        ("mon conseiller m'a dit de venir ici du coup vas-y", True),  # the answer comes last
        ("jsais pas trop ce que c'est donc on commence", True),
    ],
)
def test_offer_thanks_but_and_answer_last(text: str, expected: bool) -> None:
    assert parse_yes_no(text, offer=True) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("y a un piège ou quoi ? bon ok go", True),  # the answer after the question
        ("ça sert à quoi ? non merci", False),
        ("ok mais c'est quoi ?", None),  # asks before answering
        ("pk pas", True),
    ],
)
def test_answer_after_a_question(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text, offer=True) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ben oui sinon jvous aurais pas contacté", True),  # a reason after the answer
        ("ouais psk jai pas trop le choix", True),
        ("oui mais non", None),  # a "but" before any reason still hedges
    ],
)
def test_a_reason_does_not_hedge_the_answer(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize(
    "text",
    ["pas prête", "pas prêt", "on y va pas", "jy vais pas", "lance pas", "envoie pas"],
)
def test_a_negated_offer_word_is_no_yes(text: str) -> None:
    # Issue 8: a negator next to an offer's yes word refuses rather than accepts.
    assert parse_yes_no(text, offer=True) is not True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oui merci, mais vite svp", True),  # the yes comes before the thanks
        ("oui merci mais par téléphone", True),
        ("merci mais c'est quoi", None),  # asks, without "?"
        ("merci mais non merci", False),
        ("merci mais ça ira", False),
        ("merci c'est gentil mais jvais me débrouiller", False),
    ],
)
def test_thanks_but_after_a_yes_or_before_a_question(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text, offer=True) is expected
