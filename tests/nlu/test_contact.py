"""Tests for bot.nlu.contact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.contact import ContactAnswer, parse_contact
from tests.support.text import ANY_TEXT, FUZZ

# ---------------------------------------------------------------------------
# parse_contact
# ---------------------------------------------------------------------------

PHONE = "+33612345678"

CONTACT_CASES = [
    ("06 12 34 56 78", ContactAnswer("phone", PHONE, None)),
    ("06.12.34.56.78", ContactAnswer("phone", PHONE, None)),
    ("0612345678", ContactAnswer("phone", PHONE, None)),
    ("+33 6 12 34 56 78", ContactAnswer("phone", PHONE, None)),
    ("+33612345678", ContactAnswer("phone", PHONE, None)),
    ("0033612345678", ContactAnswer("phone", PHONE, None)),
    ("06-12-34-56-78", ContactAnswer("phone", PHONE, None)),
    ("06 12 34 56 78 ", ContactAnswer("phone", PHONE, None)),
    ("mon num c 06 12 34 56 78 appelle moi", ContactAnswer("phone", PHONE, "call")),
    ("06 12 34 56 78 appelle-moi", ContactAnswer("phone", PHONE, "call")),
    ("0612345678 par appel", ContactAnswer("phone", PHONE, "call")),
    ("0612345678 par tel", ContactAnswer("phone", PHONE, "call")),
    ("0612345678 plutot par sms", ContactAnswer("phone", PHONE, "sms")),
    ("0612345678 par texto", ContactAnswer("phone", PHONE, "sms")),
    ("0612345678 envoie un message", ContactAnswer("phone", PHONE, "sms")),
    ("0612345678 envoie moi un msg stp", ContactAnswer("phone", PHONE, "sms")),
    ("0612345678 écris moi", ContactAnswer("phone", PHONE, "sms")),
    ("0612345678 mais m'appelle pas stp", ContactAnswer("phone", PHONE, "sms")),
    ("0612345678 pas de sms", ContactAnswer("phone", PHONE, "call")),
    ("0612345678 appel ou sms comme tu veux", ContactAnswer("phone", PHONE, None)),
    ("mon tel c'est le 06 12 34 56 78", ContactAnswer("phone", PHONE, None)),
    ("je m'appelle Lina 0612345678", ContactAnswer("phone", PHONE, None)),
    ("07 81 23 45 67", ContactAnswer("phone", "+33781234567", None)),
    ("03 29 86 12 34", ContactAnswer("phone", "+33329861234", None)),
    ("+32 470 12 34 56", ContactAnswer("phone", "+32470123456", None)),
    ("0032470123456", ContactAnswer("phone", "+32470123456", None)),
    ("+352 621 123 456", ContactAnswer("phone", "+352621123456", None)),
    ("0692 12 34 56", ContactAnswer("phone", "+262692123456", None)),  # La Réunion
    ("0690 12 34 56", ContactAnswer("phone", "+590690123456", None)),  # Guadeloupe
    ("📞 06 12 34 56 78 📞", ContactAnswer("phone", PHONE, None)),
    ("０６１２３４５６７８", ContactAnswer("phone", PHONE, None)),
    ("Lina.M@Gmail.com", ContactAnswer("email", "lina.m@gmail.com", None)),
    ("mon mail c lina.m@gmail.com", ContactAnswer("email", "lina.m@gmail.com", None)),
    ("lina_93+test@hotmail.fr", ContactAnswer("email", "lina_93+test@hotmail.fr", None)),
    ("LINA@ORANGE.FR.", ContactAnswer("email", "lina@orange.fr", None)),
    ("lina0612345678@gmail.com", ContactAnswer("email", "lina0612345678@gmail.com", None)),
    ("ici", ContactAnswer("chat", None, None)),
    ("Ici", ContactAnswer("chat", None, None)),
    ("ici sur le chat", ContactAnswer("chat", None, None)),
    ("par ici", ContactAnswer("chat", None, None)),
    ("sur messenger", ContactAnswer("chat", None, None)),
    ("ici c'est bien", ContactAnswer("chat", None, None)),
    ("ici ça me va", ContactAnswer("chat", None, None)),
    ("par insta", ContactAnswer("chat", None, None)),
    ("sms", ContactAnswer(None, None, "sms")),
    ("SMS", ContactAnswer(None, None, "sms")),
    ("appel", ContactAnswer(None, None, "call")),
    ("appelle moi", ContactAnswer(None, None, "call")),
    ("texto", ContactAnswer(None, None, "sms")),
    ("par tel", ContactAnswer(None, None, "call")),
    ("06 12 34 56", ContactAnswer(None, None, None)),
    ("06 12 34 56 7", ContactAnswer(None, None, None)),
    ("01 23 45", ContactAnswer(None, None, None)),
    ("0612345678 9", ContactAnswer("phone", PHONE, None)),
    ("06 00 00 00 00 00 00", ContactAnswer(None, None, None)),
    ("99 99 99 99 99", ContactAnswer(None, None, None)),
    ("ici 06 12 34", ContactAnswer(None, None, None)),
    ("lina@", ContactAnswer(None, None, None)),
    ("lina@gmail", ContactAnswer(None, None, None)),
    ("@lina", ContactAnswer(None, None, None)),
    ("lina..m@gmail.com", ContactAnswer(None, None, None)),
    ("", ContactAnswer(None, None, None)),
    ("😊", ContactAnswer(None, None, None)),
    ("je sais pas", ContactAnswer(None, None, None)),
    ("Stenay", ContactAnswer(None, None, None)),
    ("pas ici", ContactAnswer(None, None, None)),
    ("0800 123 456", ContactAnswer(None, None, None)),  # toll-free, not a person
    ("0612345678 tel", ContactAnswer("phone", PHONE, "call")),
    ("tel: 0612345678", ContactAnswer("phone", PHONE, None)),
    ("tel", ContactAnswer(None, None, "call")),
    ("06 12 34 56 78 mais je réponds pas aux appels", ContactAnswer("phone", PHONE, "sms")),
    ("je préfère pas être appelé", ContactAnswer(None, None, "sms")),
    ("pas par téléphone", ContactAnswer(None, None, "sms")),
    ("j'ai pas de tel", ContactAnswer(None, None, None)),
    ("lina.m @ gmail.com", ContactAnswer("email", "lina.m@gmail.com", None)),
    ("06/12/34/56/78", ContactAnswer("phone", PHONE, None)),
    ("+33 (0)6 12 34 56 78", ContactAnswer("phone", PHONE, None)),
    ("tu peux m'appeler au 0612345678", ContactAnswer("phone", PHONE, "call")),
    ("par mail", ContactAnswer(None, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), CONTACT_CASES)
def test_parse_contact(text: str, expected: ContactAnswer) -> None:
    assert parse_contact(text) == expected


def test_parse_contact_first_of_phone_and_email() -> None:
    assert parse_contact("lina@gmail.com ou 0612345678").kind == "email"
    assert parse_contact("0612345678 ou lina@gmail.com").kind == "phone"


def test_contact_answer_is_frozen() -> None:
    answer = parse_contact("ici")
    with pytest.raises(AttributeError):
        answer.kind = "phone"  # type: ignore[misc]


@FUZZ
@given(ANY_TEXT)
def test_parse_contact_property(text: str) -> None:
    answer = parse_contact(text)
    assert isinstance(answer, ContactAnswer)
    assert answer.kind in (None, "phone", "email", "chat")
    assert answer.preference in (None, "call", "sms")
    if answer.kind == "phone":
        assert answer.value is not None and answer.value.startswith("+")
        assert answer.value[1:].isdigit()
    elif answer.kind == "email":
        assert answer.value is not None and "@" in answer.value
        assert answer.value == answer.value.lower()
        assert answer.preference is None
    else:
        assert answer.value is None


@FUZZ
@given(st.from_regex(r"0(?:6[0-9]|7[3-9])[0-9]( ?[0-9]{2}){3}", fullmatch=True))
def test_parse_contact_french_mobiles_property(number: str) -> None:
    answer = parse_contact(number)
    digits = number.replace(" ", "")
    if digits.startswith(("0639", "069")):  # partly Mayotte, Antilles, Guyane, La Réunion
        if answer.kind is not None:  # some of these ranges are unallocated
            assert answer.kind == "phone" and answer.value is not None
            assert answer.value.endswith(digits[1:])
    else:
        assert answer == ContactAnswer("phone", "+33" + digits[1:], None)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ici, mais pas ici en fait, par mail", None),  # corrected, another channel named
        ("là, je suis pas dispo", None),  # "là" is "right now" here
        ("ici, je reponds jamais au tel", "chat"),  # the other channel is refused
        ("ici, c'est plus simple", "chat"),
    ],
)
def test_an_opening_here_stands_only_when_the_rest_keeps_it(text: str, kind: str | None) -> None:
    assert parse_contact(text).kind == kind
