"""Tests for the intent and distress detectors (the slot parsers are tested in tests/nlu)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.flows.parsers import (
    NEEDS,
    SLOTS,
    ContactAnswer,
    Distress,
    Intent,
    detect_distress,
    detect_intent,
    normalize,
    parse_age,
    parse_availability,
    parse_contact,
    parse_first_name,
    parse_need,
    parse_yes_no,
)
from tests.support.text import ANY_TEXT, FUZZ, HUGE_INPUTS, ORDINARY, TODAY

# ---------------------------------------------------------------------------
# detect_intent
# ---------------------------------------------------------------------------

INTENT_CASES = [
    # STOP
    ("stop", Intent.STOP),
    ("STOP", Intent.STOP),
    ("Stop !!!", Intent.STOP),
    ("stooop", Intent.STOP),
    ("stop 🛑", Intent.STOP),
    ("/stop", Intent.STOP),
    ("arrete", Intent.STOP),
    ("arrête", Intent.STOP),
    ("Arrêtez", Intent.STOP),
    ("arret", Intent.STOP),
    ("stp arrete", Intent.STOP),
    ("arrete stp", Intent.STOP),
    ("non arrête", Intent.STOP),
    ("arrete de m'écrire", Intent.STOP),
    ("laisse moi tranquille", Intent.STOP),
    ("laisse-moi tranquille !", Intent.STOP),
    ("lache moi", Intent.STOP),
    ("fous moi la paix", Intent.STOP),
    ("je veux plus de messages", Intent.STOP),
    ("ne m'écris plus", Intent.STOP),
    ("désinscrire", Intent.STOP),
    ("tu peux arrêter", Intent.STOP),
    # RESUME
    ("reprendre", Intent.RESUME),
    ("reprend", Intent.RESUME),
    ("on reprend", Intent.RESUME),
    ("On reprend ?", Intent.RESUME),
    ("start", Intent.RESUME),
    ("/start", Intent.RESUME),
    ("continuer", Intent.RESUME),
    ("on continue", Intent.RESUME),
    ("on peut reprendre stp", Intent.RESUME),
    ("c'est reparti", Intent.RESUME),
    # HUMAN
    ("conseiller", Intent.HUMAN),
    ("conseillère", Intent.HUMAN),
    ("un conseiller", Intent.HUMAN),
    ("humain", Intent.HUMAN),
    ("un humain svp", Intent.HUMAN),
    ("parler à quelqu'un", Intent.HUMAN),
    ("une vraie personne", Intent.HUMAN),
    ("je veux parler a qqn", Intent.HUMAN),
    ("jveux parler a un conseiller", Intent.HUMAN),
    ("un educateur", Intent.HUMAN),
    ("mon éducatrice", Intent.HUMAN),
    ("je peux parler avec une vraie personne ?", Intent.HUMAN),
    ("j'ai besoin d'un conseiller", Intent.HUMAN),
    ("passe moi un conseiller", Intent.HUMAN),
    ("je veux pas parler à un robot", Intent.HUMAN),
    ("/humain", Intent.HUMAN),
    ("je peux avoir un rdv avec un conseiller", Intent.HUMAN),
    ("prendre rendez-vous avec un conseiller", Intent.HUMAN),
    # RESTART
    ("recommencer", Intent.RESTART),
    ("on recommence", Intent.RESTART),
    ("reset", Intent.RESTART),
    ("/reset", Intent.RESTART),
    ("depuis le debut", Intent.RESTART),
    ("depuis le début", Intent.RESTART),
    ("reprendre depuis le début", Intent.RESTART),
    ("on recommence à zéro", Intent.RESTART),
    ("tout recommencer", Intent.RESTART),
    # HELP
    ("aide", Intent.HELP),
    ("Aide ?", Intent.HELP),
    ("/aide", Intent.HELP),
    ("help", Intent.HELP),
    ("?", Intent.HELP),
    ("???", Intent.HELP),
    ("je comprends pas", Intent.HELP),
    ("jcomprend pas", Intent.HELP),
    ("je comprend rien", Intent.HELP),
    ("j'ai pas compris", Intent.HELP),
    ("comment ça marche", Intent.HELP),
    ("comment ca marche ?", Intent.HELP),
    ("tu sers a quoi", Intent.HELP),
    ("aide moi stp", Intent.HELP),
    # ERASE
    ("supprime mes données", Intent.ERASE),
    ("efface mes infos", Intent.ERASE),
    ("supprimer mes donnees", Intent.ERASE),
    ("Supprimez mes données personnelles", Intent.ERASE),
    ("oublie moi", Intent.ERASE),
    ("oubliez-moi", Intent.ERASE),
    ("droit à l'oubli", Intent.ERASE),
    ("je veux que tu supprimes tout", None),
    ("supprime tout", Intent.ERASE),
    ("efface mon numéro", Intent.ERASE),
    ("/effacer", Intent.ERASE),
    # PRIVACY
    ("confidentialité", Intent.PRIVACY),
    ("/confidentialite", Intent.PRIVACY),
    ("vie privée", Intent.PRIVACY),
    ("mes données ?", Intent.PRIVACY),
    ("rgpd", Intent.PRIVACY),
    ("RGPD ?", Intent.PRIVACY),
    ("c'est confidentiel ?", Intent.PRIVACY),
    ("vous faites quoi de mes données", Intent.PRIVACY),
    ("qui voit mes infos ?", Intent.PRIVACY),
]

NO_INTENT = [
    *ORDINARY,
    "tg",
    "TG",
    "ta gueule",
    "je cherche du taf, stop les galères",
    "stop les galères",
    "j'ai arrêté l'école",
    "j'ai arrêté le lycée en seconde",
    "je veux reprendre mes études",
    "reprendre une formation",
    "continuer mes etudes",
    "j'ai déjà un conseiller à la mission locale",
    "personne",
    "je sais pas",
    "aider les gens",
    "je comprends",
    "oui",
    "non",
    "stopper la clope",
    "au secours",
    "",
    "   ",
    "😊",
    "je veux un taf et qu'on arrête de me dire non " * 5,
    "Stéphane",
    "Aidan",
    "Startup",
    "Reprographie",
    "données",
]


@pytest.mark.parametrize(("text", "expected"), INTENT_CASES)
def test_detect_intent(text: str, expected: Intent | None) -> None:
    assert detect_intent(text) == expected


@pytest.mark.parametrize("text", NO_INTENT)
def test_detect_intent_negative(text: str) -> None:
    assert detect_intent(text) is None


@FUZZ
@given(ANY_TEXT)
def test_detect_intent_property(text: str) -> None:
    result = detect_intent(text)
    assert result is None or isinstance(result, Intent)


# ---------------------------------------------------------------------------
# detect_distress
# ---------------------------------------------------------------------------

DISTRESS_CASES = [
    # SUICIDE
    ("j'ai envie de mourir", Distress.SUICIDE),
    ("jai envie de mourir", Distress.SUICIDE),
    ("jveux mourir", Distress.SUICIDE),
    ("j veux mourir", Distress.SUICIDE),
    ("je ve mourir", Distress.SUICIDE),
    ("JE VEUX MOURIR", Distress.SUICIDE),
    ("je veux juste mourir", Distress.SUICIDE),
    ("je veux en finir", Distress.SUICIDE),
    ("envie d'en finir", Distress.SUICIDE),
    ("je vais en finir ce soir", Distress.SUICIDE),
    ("je veux en finir avec la vie", Distress.SUICIDE),
    ("me suicider", Distress.SUICIDE),
    ("je pense au suicide", Distress.SUICIDE),
    ("j'ai des idées suicidaires", Distress.SUICIDE),
    ("plus envie de vivre", Distress.SUICIDE),
    ("j'ai plus envie de vivre", Distress.SUICIDE),
    ("jai pu envie de vivre", Distress.SUICIDE),
    ("aucune raison de vivre", Distress.SUICIDE),
    ("me foutre en l'air", Distress.SUICIDE),
    ("je vais me foutre en lair", Distress.SUICIDE),
    ("j'en peux plus de vivre", Distress.SUICIDE),
    ("jen peux plus de la vie", Distress.SUICIDE),
    ("marre de vivre", Distress.SUICIDE),
    ("je veux disparaître", Distress.SUICIDE),
    ("je veux plus être là", Distress.SUICIDE),
    ("je veux me tuer", Distress.SUICIDE),
    ("envie de crever", Distress.SUICIDE),
    ("je me scarifie", Distress.SUICIDE),
    ("je me fais du mal", Distress.SUICIDE),
    ("mettre fin à mes jours", Distress.SUICIDE),
    ("tout le monde serait mieux sans moi", Distress.SUICIDE),
    ("ma vie n'a plus de sens", Distress.SUICIDE),
    ("je cherche un taf mais franchement j'ai envie de mourir", Distress.SUICIDE),
    ("j'ai envie de mourrir", Distress.SUICIDE),
    ("envie de mourir 😢😢", Distress.SUICIDE),
    ("jpp de la vie", Distress.SUICIDE),
    ("j'ai plus la force de vivre", Distress.SUICIDE),
    ("j'ai des idées noires", Distress.SUICIDE),
    ("je me mutile", Distress.SUICIDE),
    ("je me coupe", Distress.SUICIDE),
    ("je me coupe les bras", Distress.SUICIDE),
    ("je vais faire une connerie", Distress.SUICIDE),
    ("jveu mourir", Distress.SUICIDE),
    ("je vais sauter du pont", Distress.SUICIDE),
    # VIOLENCE
    ("il me frappe", Distress.VIOLENCE),
    ("on me bat", Distress.VIOLENCE),
    ("violences", Distress.VIOLENCE),
    ("je subis des violences a la maison", Distress.VIOLENCE),
    ("je me fais taper", Distress.VIOLENCE),
    ("je me fais frapper par mon père", Distress.VIOLENCE),
    ("agressée", Distress.VIOLENCE),
    ("j'ai été agressé hier", Distress.VIOLENCE),
    ("viol", Distress.VIOLENCE),
    ("j'ai été violée", Distress.VIOLENCE),
    ("mon copain me tape", Distress.VIOLENCE),
    ("mon copain m'a frappée", Distress.VIOLENCE),
    ("il m'a giflé", Distress.VIOLENCE),
    ("mon beau père est violent", Distress.VIOLENCE),
    ("je suis harcelée", Distress.VIOLENCE),
    ("harcèlement au travail", Distress.VIOLENCE),
    ("il me met des coups", Distress.VIOLENCE),
    ("il m'oblige à coucher", Distress.VIOLENCE),
    ("je me suis fait violer", Distress.VIOLENCE),
    ("je me fais racketter", Distress.VIOLENCE),
    ("il ma frappé", Distress.VIOLENCE),
    ("ma mère me tape dessus", Distress.VIOLENCE),
    # HOMELESS
    ("je dors dehors", Distress.HOMELESS),
    ("jdors dehors depuis 3 jours", Distress.HOMELESS),
    ("à la rue", Distress.HOMELESS),
    ("je suis a la rue", Distress.HOMELESS),
    ("pas de logement ce soir", Distress.HOMELESS),
    ("j'ai pas de logement", Distress.HOMELESS),
    ("nulle part où dormir", Distress.HOMELESS),
    ("nul part ou dormir", Distress.HOMELESS),
    ("sdf", Distress.HOMELESS),
    ("je suis SDF", Distress.HOMELESS),
    ("dormir dans ma voiture", Distress.HOMELESS),
    ("je dors dans ma voiture", Distress.HOMELESS),
    ("mis dehors", Distress.HOMELESS),
    ("ma mère m'a mis dehors", Distress.HOMELESS),
    ("viré de chez moi", Distress.HOMELESS),
    ("je suis sans abri", Distress.HOMELESS),
    ("j'ai appelé le 115", Distress.HOMELESS),
    ("je vis dans ma voiture", Distress.HOMELESS),
    ("je suis à la rue depuis hier", Distress.HOMELESS),
    ("je me suis fait virer de chez moi", Distress.HOMELESS),
    ("je squatte chez des potes", Distress.HOMELESS),
    ("je suis hébergée nulle part", Distress.HOMELESS),
    ("j'ai nulle part où aller", Distress.HOMELESS),
    ("j'ai plus de logement", Distress.HOMELESS),
    # DANGER
    ("je suis en danger", Distress.DANGER),
    ("jsuis en danger", Distress.DANGER),
    ("au secours", Distress.DANGER),
    ("AU SECOURS", Distress.DANGER),
    ("o secours", Distress.DANGER),
    ("j'ai peur pour ma vie", Distress.DANGER),
    ("il veut me tuer", Distress.DANGER),
    ("il m'a menacé de mort", Distress.DANGER),
    ("je suis en grand danger", Distress.DANGER),
    ("sos", Distress.DANGER),
    ("SOS !!", Distress.DANGER),
    ("j'ai peur de lui", Distress.DANGER),
    ("je suis enfermée", Distress.DANGER),
    # priority: suicide over the rest, danger over violence
    ("il me frappe et j'ai envie de mourir", Distress.SUICIDE),
    ("au secours il me frappe", Distress.DANGER),
]

NO_DISTRESS = [
    *ORDINARY,
    "mort de rire",
    "mdr",
    "ptdr je suis mort",
    "je meurs de faim lol",
    "je vais mourir de chaud",
    "j'ai envie de mourir de rire",
    "je cherche un logement",
    "je cherche un appart",
    "j'ai pas de logement à moi, je vis chez mes parents",
    "je veux en finir avec le chômage",
    "j'ai hâte d'en finir avec ce dossier",
    "j'ai pas envie de mourir",
    "je ne veux pas mourir",
    "agent de sécurité",
    "je veux bosser dans le BTP",
    "boucher",
    "formation premiers secours",
    "PSC1 aux premiers secours",
    "travailler dehors",
    "un taf en extérieur, dehors",
    "ça me tue",
    "tuer le temps",
    "il me tape sur les nerfs",
    "je me bats pour trouver un taf",
    "j'ai battu mon record",
    "c'est violent le chômage",
    "le violon",
    "couleur violette",
    "je veux un taf en sécurité",
    "je suis pas en danger",
    "pompes funèbres",
    "chauffeur poids lourd",
    "je veux travailler avec les victimes",
    "j'ai arrêté l'école",
    "aide à domicile",
    "",
    "😊😊😊",
    "rue de la paix",
    "j'habite 12 à la rue de la gare",
    "je suis à la rue en maths",
    "je suis perdu",
    "je me coupe les cheveux",
    "je me coupe souvent en cuisine",
    "j'ai fait une connerie au taf",
    "SOS intérim",
    "je veux être pompier",
    "je tape vite au clavier",
    "je cherche un foyer jeune travailleur",
    "je vis chez ma mère",
    "je meurs d'envie de travailler",
    "jsuis mort de fatigue",
    "elle me tue cette meuf",
    "Violette",
    "il veut mourir de rire",
    "j'ai des idées pour mon projet",
]


@pytest.mark.parametrize(("text", "expected"), DISTRESS_CASES)
def test_detect_distress(text: str, expected: Distress | None) -> None:
    assert detect_distress(text) == expected


@pytest.mark.parametrize("text", NO_DISTRESS)
def test_detect_distress_negative(text: str) -> None:
    assert detect_distress(text) is None


def test_detect_distress_in_long_message() -> None:
    text = "bonjour je cherche un taf dans le coin de Verdun. " * 100 + "en vrai je veux mourir"
    assert detect_distress(text) == Distress.SUICIDE


@FUZZ
@given(ANY_TEXT)
def test_detect_distress_property(text: str) -> None:
    result = detect_distress(text)
    assert result is None or isinstance(result, Distress)


# ---------------------------------------------------------------------------
# Cross-cutting robustness
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", HUGE_INPUTS, ids=range(len(HUGE_INPUTS)))
def test_huge_inputs_never_raise(text: str) -> None:
    assert isinstance(normalize(text[:50_000]), str)
    assert detect_intent(text) is None or isinstance(detect_intent(text), Intent)
    assert detect_distress(text) is None or isinstance(detect_distress(text), Distress)
    assert parse_yes_no(text) in (True, False, None)
    name, reason = parse_first_name(text)
    assert (name is None) != (reason is None)
    age = parse_age(text, TODAY)
    assert age is None or 5 <= age <= 99
    assert isinstance(parse_contact(text), ContactAnswer)
    assert parse_need(text) in (None, *NEEDS)
    slots = parse_availability(text)
    assert slots is None or set(slots) <= set(SLOTS)


def test_huge_distress_is_still_found() -> None:
    assert detect_distress("je veux mourir " * 50_000) == Distress.SUICIDE


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("0123456789 /.-+@hHa:éè😊'’?!")), max_size=200))
def test_all_parsers_on_digit_soup(text: str) -> None:
    detect_intent(text)
    detect_distress(text)
    parse_yes_no(text)
    parse_first_name(text)
    parse_age(text, TODAY)
    parse_contact(text)
    parse_need(text)
    parse_availability(text)
