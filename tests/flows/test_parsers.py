"""Tests for the pure intake-flow answer parsers (bot/flows/parsers.py)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.flows.parsers import (
    NEEDS,
    SLOTS,
    ContactAnswer,
    normalize,
    parse_age,
    parse_availability,
    parse_contact,
    parse_first_name,
    parse_need,
    parse_yes_no,
)

TODAY = datetime.date(2025, 6, 15)

# Meuse communes, first names and ordinary answers that must never trigger
# a global command, a distress alert or a yes/no.
ORDINARY = [
    "Stenay",
    "Marie",
    "Saint-Mihiel",
    "Verdun",
    "Bar-le-Duc",
    "Commercy",
    "Dun-sur-Meuse",
    "Montmédy",
    "Étain",
    "Clermont-en-Argonne",
    "Lina",
    "Yanis",
    "Jean-Baptiste",
    "Kevin",
    "17 ans",
    "06 12 34 56 78",
    "je cherche du taf",
    "un taf dans la vente",
    "je cherche un logement",
    "le matin",
    "une formation en alternance",
    "lundi matin",
    "Personne",
]

# Very long / odd inputs used by the robustness tests.
HUGE_INPUTS = [
    "a" * 1_000_000,
    "😊" * 200_000,
    "0" * 500_000,
    "06 12 34 56 78 " * 50_000,
    "je veux mourir " * 50_000,
    "oui " * 100_000,
    "lundi matin " * 50_000,
    "\u0301" * 100_000,
    "\x00\n\t\r" * 10_000,
    "𝕃𝕚𝕟𝕒 ﬁ ẞ İ ß ① ½ ٣٤" * 10_000,
    "@" * 100_000,
    "/" * 100_000,
    "12/03/2006 " * 40_000,
    "é" * 100_000 + "?",
]

ANY_TEXT = st.text(max_size=3000)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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


@pytest.mark.parametrize("text", YES_NO_NONE)
def test_parse_yes_no_none(text: str) -> None:
    assert parse_yes_no(text) is None


@FUZZ
@given(ANY_TEXT)
def test_parse_yes_no_property(text: str) -> None:
    assert parse_yes_no(text) in (True, False, None)


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
]


@pytest.mark.parametrize(("text", "expected"), AGE_CASES)
def test_parse_age(text: str, expected: int) -> None:
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


# ---------------------------------------------------------------------------
# parse_need
# ---------------------------------------------------------------------------

NEED_CASES = [
    ("un taf", "job"),
    ("du taff", "job"),
    ("boulot", "job"),
    ("un boulot stp", "job"),
    ("travail", "job"),
    ("trouver du travail", "job"),
    ("emploi", "job"),
    ("un job", "job"),
    ("JOB", "job"),
    ("un cdi", "job"),
    ("de l'intérim", "job"),
    ("interim", "job"),
    ("je veux bosser", "job"),
    ("je suis en train de chercher un taf", "job"),
    ("pas besoin de formation, je veux un taf", "job"),
    ("formation", "training"),
    ("une formation", "training"),
    ("apprentissage", "training"),
    ("alternance", "training"),
    ("une alternance en cuisine", "training"),
    ("reprendre les études", "training"),
    ("reprendre les etudes", "training"),
    ("diplôme", "training"),
    ("passer mon CAP", "training"),
    ("une formation pour trouver un job", "training"),
    ("permis", "mobility"),
    ("le permis", "mobility"),
    ("le code", "mobility"),
    ("une voiture", "mobility"),
    ("un scooter", "mobility"),
    ("transport", "mobility"),
    ("me déplacer", "mobility"),
    ("bouger", "mobility"),
    ("passer le permis B", "mobility"),
    ("logement", "housing"),
    ("un appart", "housing"),
    ("hébergement", "housing"),
    ("foyer", "housing"),
    ("trouver un logement", "housing"),
    ("santé", "health"),
    ("un psy", "health"),
    ("médecin", "health"),
    ("mutuelle", "health"),
    ("le moral", "health"),
    ("stress", "health"),
    ("je suis stressé", "health"),
    ("jsp", "unsure"),
    ("je sais pas", "unsure"),
    ("je sais pas trop", "unsure"),
    ("aucune idée", "unsure"),
    ("bof", "unsure"),
    ("chais pas", "unsure"),
    ("un peu de tout", "unsure"),
    ("tout", "unsure"),
    ("jsp un taf peut-être", "job"),
    ("mes papiers", "other"),
    ("titre de séjour", "other"),
    ("j'ai des problèmes avec ma famille", "other"),
    ("je voudrais faire du sport", "other"),
    ("JE VEUX UN TAF", "job"),
    ("un taaaaf", "job"),
    ("la vente", "job"),
    ("mécanique", "job"),
    ("la cuisine en alternance", "training"),
    ("je veux passer le caces", "training"),
    ("arrêter de fumer", "health"),
    ("je veux bouger de chez mes parents", "housing"),
    ("des sous", "other"),
    ("un stage", "training"),
    ("le code de la route", "mobility"),
    ("je sais pas quoi faire de ma vie", "unsure"),
]

NEED_NONE = [
    "",
    "😊",
    "lol",
    "azerty qsdf wxcv",
    "lol mdr ptdr",
    "ok",
    "Stenay",
    "Marie",
    "17",
    "xxxxxxxxx yyyy zzzz",
]


@pytest.mark.parametrize(("text", "expected"), NEED_CASES)
def test_parse_need(text: str, expected: str) -> None:
    assert parse_need(text) == expected


@pytest.mark.parametrize("text", NEED_NONE)
def test_parse_need_none(text: str) -> None:
    assert parse_need(text) is None


@FUZZ
@given(ANY_TEXT)
def test_parse_need_property(text: str) -> None:
    result = parse_need(text)
    assert result is None or result in NEEDS


# ---------------------------------------------------------------------------
# parse_availability
# ---------------------------------------------------------------------------

AVAILABILITY_CASES = [
    ("lundi matin", ("weekday_morning",)),
    ("le matin", ("weekday_morning",)),
    ("matin", ("weekday_morning",)),
    ("plutôt le matin", ("weekday_morning",)),
    ("aprem", ("weekday_afternoon",)),
    ("l'aprèm", ("weekday_afternoon",)),
    ("apres midi", ("weekday_afternoon",)),
    ("l'après-midi", ("weekday_afternoon",)),
    ("ap-m", ("weekday_afternoon",)),
    ("après 17h", ("evening",)),
    ("le soir", ("evening",)),
    ("en soirée", ("evening",)),
    ("apres le taf", ("evening",)),
    ("après les cours", ("evening",)),
    ("samedi", ("saturday",)),
    ("sam", ("saturday",)),
    ("samedi matin", ("saturday",)),
    ("plutot le week-end", ("saturday",)),
    ("le we", ("saturday",)),
    ("weekend", ("saturday",)),
    ("quand tu veux", ("any",)),
    ("tout le temps", ("any",)),
    ("n'importe quand", ("any",)),
    ("dispo tout le temps", ("any",)),
    ("h24", ("any",)),
    ("peu importe", ("any",)),
    ("Quand tu veux 😊", ("any",)),
    ("mardi et jeudi aprem", ("weekday_afternoon",)),
    ("lundi matin ou mercredi aprem", ("weekday_morning", "weekday_afternoon")),
    ("10h", ("weekday_morning",)),
    ("14h", ("weekday_afternoon",)),
    ("18h30", ("evening",)),
    ("18:30", ("evening",)),
    ("vers 10h", ("weekday_morning",)),
    ("entre 9h et 11h", ("weekday_morning",)),
    ("de 9h à 17h", ("weekday_morning", "weekday_afternoon")),
    ("lundi", ("weekday_morning", "weekday_afternoon")),
    ("en semaine", ("weekday_morning", "weekday_afternoon")),
    ("le mercredi", ("weekday_morning", "weekday_afternoon")),
    ("les mardis", ("weekday_morning", "weekday_afternoon")),
    ("mecredi matin", ("weekday_morning",)),
    ("le matin ou le soir", ("weekday_morning", "evening")),
    ("lundi matin et aprem", ("weekday_morning", "weekday_afternoon")),
    ("samedi ou le soir", ("evening", "saturday")),
    ("dimanche ou samedi", ("saturday",)),
    ("dimanche ou lundi matin", ("weekday_morning",)),
    ("LUNDI MATIN", ("weekday_morning",)),
    ("  lundi   matin  ", ("weekday_morning",)),
    ("lundi soir", ("evening",)),
    ("vendredi aprem", ("weekday_afternoon",)),
    ("pas le matin", ("weekday_afternoon", "evening", "saturday")),
    ("le matin mais pas le lundi", ("weekday_morning",)),
    ("peu importe, plutôt le matin", ("weekday_morning",)),
    ("je bosse le matin donc l'aprem", ("weekday_afternoon",)),
    ("toute la journée", ("weekday_morning", "weekday_afternoon")),
    ("tout sauf le matin", ("weekday_afternoon", "evening", "saturday")),
    ("tout sauf le lundi", ("any",)),
    ("n'importe", ("any",)),
    ("dès que possible", ("any",)),
    ("je bosse la journée", ("evening", "saturday")),
    ("j'ai cours le matin", ("weekday_afternoon", "evening", "saturday")),
    ("2 jours par semaine le matin", ("weekday_morning",)),
    ("samdi", ("saturday",)),
    ("sam matin", ("saturday",)),
    ("9h-12h", ("weekday_morning",)),
    ("14h-18h", ("weekday_afternoon", "evening")),
    ("après 14h", ("weekday_afternoon", "evening")),
    ("avant midi", ("weekday_morning",)),
    ("le we ou le soir", ("evening", "saturday")),
    ("mercredi mais pas le matin", ("weekday_afternoon",)),
    ("vendredi 10h30", ("weekday_morning",)),
]

AVAILABILITY_NONE = [
    "",
    "😊",
    "dimanche",
    "le dimanche",
    "dimanche matin",
    "je sais pas",
    "oui",
    "Stenay",
    "Martin",
    "17 ans",
    "bientôt",
    "demain",
    "2 fois par semaine",
    "pas le mercredi",
    "dimanche aprem",
    "dispo",
    "0h",
]


@pytest.mark.parametrize(("text", "expected"), AVAILABILITY_CASES)
def test_parse_availability(text: str, expected: tuple[str, ...]) -> None:
    assert parse_availability(text) == expected


@pytest.mark.parametrize("text", AVAILABILITY_NONE)
def test_parse_availability_none(text: str) -> None:
    assert parse_availability(text) is None


@FUZZ
@given(ANY_TEXT)
def test_parse_availability_property(text: str) -> None:
    result = parse_availability(text)
    if result is not None:
        assert isinstance(result, tuple)
        assert result
        assert all(slot in SLOTS for slot in result)
        assert list(result) == sorted(set(result), key=SLOTS.index)
        assert "any" not in result or result == ("any",)


# ---------------------------------------------------------------------------
# Cross-cutting robustness
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HUGE_INPUTS, ids=range(len(HUGE_INPUTS)))
def test_huge_inputs_never_raise(text: str) -> None:
    assert isinstance(normalize(text[:50_000]), str)
    assert parse_yes_no(text) in (True, False, None)
    name, reason = parse_first_name(text)
    assert (name is None) != (reason is None)
    age = parse_age(text, TODAY)
    assert age is None or 5 <= age <= 99
    assert isinstance(parse_contact(text), ContactAnswer)
    assert parse_need(text) in (None, *NEEDS)
    slots = parse_availability(text)
    assert slots is None or set(slots) <= set(SLOTS)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("0123456789 /.-+@hHa:éè😊'’?!")), max_size=200))
def test_all_parsers_on_digit_soup(text: str) -> None:
    parse_yes_no(text)
    parse_first_name(text)
    parse_age(text, TODAY)
    parse_contact(text)
    parse_need(text)
    parse_availability(text)
