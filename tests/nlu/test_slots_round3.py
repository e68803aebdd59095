"""Slot readings found missing on round 3 and fixed in the parsers' mechanisms and data."""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import pytest

from bot.nlu.age import parse_age, parse_stated_age
from bot.nlu.availability import parse_availability
from bot.nlu.communes import CommuneIndex
from bot.nlu.early import extract_unasked
from bot.nlu.names import parse_first_name, stated_first_name
from bot.nlu.need import parse_need
from bot.nlu.slots import step_slots
from bot.nlu.yesno import parse_yes_no

TODAY = datetime.date(2026, 11, 24)


@cache
def _communes() -> CommuneIndex:
    return CommuneIndex.load()


# A surname after the first name is dropped; a compound first name stays whole.
FIRST_NAMES = [
    ("Bonjour, je m'appelle Inès Benali.", "Inès"),
    ("Léo Humain", "Léo"),
    ("mon nom c'est Léo Lhumain", "Léo"),
    ("c dylan wsh", "Dylan"),
    ("Killian 😂 oui comme le joueur qui tue tout", "Killian"),
    ("on m'appelle Lolo mais mon vrai prénom c'est Laurine", "Laurine"),
    ("Léa. et oui je sais mon nom est à mourir d'ennui", "Léa"),
    ("jean baptiste", "Jean Baptiste"),
    ("Marie Claire", "Marie Claire"),
]


@pytest.mark.parametrize(("text", "name"), FIRST_NAMES)
def test_first_name_without_surname(text: str, name: str) -> None:
    assert parse_first_name(text)[0] == name


# A message that opens with the name, before it is asked.
OPENINGS = [
    ("cc je suis Manel de bar le duc, je cherche un appart", "Manel"),
    ("yo c'est Enzo, jveux un job a st mihiel", "Enzo"),
    ("Lucie, 24 ans, Ligny, je cherche un emploi", "Lucie"),
    ("coucou c Manon de Dun sur Meuse", "Manon"),
    ("Kevin 23 ans Spincourt", "Kevin"),
    # Not a name: lower case and nothing about the youth after it, or a state of mind.
    ("salut je cherche un taf", None),
    ("c'est pour un appart", None),
    ("jsuis KO, la semaine m'a achevé", None),
    ("verdun", None),
]


@pytest.mark.parametrize(("text", "name"), OPENINGS)
def test_name_in_an_opening_message(text: str, name: str | None) -> None:
    assert stated_first_name(text) == name


def test_a_commune_opening_the_message_is_no_name() -> None:
    values = extract_unasked("Verdun, 23 ans", _communes())
    assert "first_name" not in values
    assert values["age"] == 23


# A time denied by what is said after it, busy until an hour, worn out.
AVAILABILITY = [
    ("le matin je bosse, l'aprem ça va", ("weekday_afternoon",)),
    ("le soir ouais, le matin je suis un zombie", ("evening",)),
    ("dispo le soir, la journée je suis mort de fatigue avec les enfants", ("evening",)),
    ("le samedi seulement, en semaine je bosse", ("saturday",)),
    ("jsuis KO, la semaine m'a achevé. dispo samedi sinon", ("saturday",)),
    ("le bus de 7h c'est la mort, plutot l'aprem", ("weekday_afternoon",)),
    ("je termine le taf à 18h, après je suis libre", ("evening",)),
    ("j'ai cours jusqu'a midi donc apres", ("weekday_afternoon",)),
    ("pas avant 14h", ("weekday_afternoon", "evening")),
    ("je suis mort de fatigue, le soir c mieux", ("evening",)),
    ("pas le samedi, en semaine la journée c'est bon", ("weekday_morning", "weekday_afternoon")),
    ("pas en semaine", ("evening", "saturday")),
    # Ordinary answers read as before.
    ("je bosse le matin", ("weekday_afternoon", "evening", "saturday")),
    ("le matin", ("weekday_morning",)),
    ("pas le matin", ("weekday_afternoon", "evening", "saturday")),
]


@pytest.mark.parametrize(("text", "slots"), AVAILABILITY)
def test_availability_denied_after_the_time(text: str, slots: tuple[str, ...]) -> None:
    assert parse_availability(text) == slots


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("hello jcherche une alternance, jsuis dispo que le soir", ["evening"]),
        ("ici c bien, jsuis dispo le mardi matin", ["weekday_morning"]),
        ("je bosse le matin et je cherche un autre taf", None),
        ("jsuis dispo quand vous voulez", None),
    ],
)
def test_availability_stated_before_it_is_asked(text: str, slots: list[str] | None) -> None:
    assert extract_unasked(text, _communes()).get("availability") == slots


# Needs in youth words; a need denied as the answer opens; what is wanted beats what is named.
NEEDS = [
    ("pas une formation, un vrai travail payé", "job"),
    ("pas du taf tout de suite, d'abord une formation", "training"),
    ("pas de formation, j'en ai marre de l'ecole. du taf", "job"),
    ("pas de permis", "mobility"),
    ("l'interim ça me bouffe la vie, jveux une formation qui mène a qqch", "training"),
    ("ma conseillère pôle emploi m'a dit de vous contacter pour le permis", "mobility"),
    ("une formation pour trouver un job", "training"),
    ("j'en ai ma claque de chercher sur indeed", "job"),
    ("faire un BPJEPS pour etre animateur", "training"),
    ("aller mieux dans ma tete, jdors plus", "health"),
]


@pytest.mark.parametrize(("text", "need"), NEEDS)
def test_need_in_youth_words(text: str, need: str) -> None:
    assert parse_need(text) == need


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("slt un taf stp, jai 18 ans", "job"),
        ("un appart", "housing"),
        ("salut, jhabite a etain et jai pas de permis pour bosser", "mobility"),
        ("je vis à Vaucouleurs et je suis sans emploi depuis quatre ans", "job"),
        ("je bosse le matin", None),
        ("le soir après le boulot je suis libre", None),
    ],
)
def test_need_stated_before_it_is_asked(text: str, need: str | None) -> None:
    assert extract_unasked(text, _communes()).get("need") == need


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("j'ai dit 19 tout à l'heure mais en vrai j'ai 18", 18),
        ("jsuis dead 💀💀 t'as cru que j'avais 12 ans ou quoi, jen ai 24", 24),
        ("jme fais cogner par mon frere il a 25 ans moi 20", 20),
        ("oui sauf l'âge, j'ai 20 pas 21", 20),
        ("j'ai 2 enfants et 19 ans", 19),
        ("J'ai vingt-six ans et je suis sans emploi depuis quatre ans.", 26),
    ],
)
def test_age_with_chatter(text: str, age: int) -> None:
    assert parse_age(text, TODAY) == age
    assert parse_stated_age(text, TODAY) == age


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("mouais bon d'accord", True),
        ("mouais si tu veux", True),
        ("mouais", None),
        ("nn ya un truc qui va pas", False),
    ],
)
def test_grudging_yes_and_plain_no(text: str, yes: bool | None) -> None:
    assert parse_yes_no(text) is yes


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("mon mail c'est yanis_du55 arobase outlook point fr", {"email": "yanis_du55@outlook.fr"}),
        (
            "07 58 96 32 14 sinon ma mail theo.bdl@gmail.com",
            {"phone": "+33758963214", "email": "theo.bdl@gmail.com"},
        ),
        (
            "non pas le 06 12 55 48 30, c'est 06 12 55 48 03, j'ai inversé",
            {"phone": "+33612554803"},
        ),
        (
            "zero six vingt et un quarante trois cinquante cinq quatre vingt dix huit",
            {"phone": "+33621435598"},
        ),
        ("jprefere par ecrit dans cette conv", {"contact": "chat"}),
        ("Par ce canal, s'il vous plaît.", {"contact": "chat"}),
        ("06 12 34 56 78", {"phone": "+33612345678"}),
    ],
)
def test_contact_in_odd_spellings(text: str, slots: dict[str, str]) -> None:
    assert step_slots(text, "ask_contact", _communes(), TODAY) == slots


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        (
            "bonjour, je m'appelle Clara, j'ai dix-huit ans et j'habite près de Verdun, à Belrupt",
            "Belrupt-en-Verdunois",
        ),
        ("salut jai vu votre affiche a dun, je suis de doulcon et je cherche du boulot", "Doulcon"),
        ("slt jsui a montmedi et jai besoin d'un taf", "Montmédy"),
        ("Lucie, 24 ans, Ligny, je cherche un emploi", "Ligny-en-Barrois"),
        ("Kevin 23 ans Spincourt", "Spincourt"),
        ("j'habite à Stenay ou à Verdun je sais plus", None),
        ("j'habite plus à Verdun, à Stenay maintenant", "Stenay"),
    ],
)
def test_commune_stated_among_other_places(text: str, commune: str | None) -> None:
    assert extract_unasked(text, _communes(), TODAY).get("commune") == commune


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("j'suis d'Ancerville mais je bosse à Saint-Dizier", "Ancerville"),
        ("près de Verdun, à Belrupt", "Belrupt-en-Verdunois"),
        ("Verdun", "Verdun"),
        ("Saint-Dizier", "Saint-Dizier"),
    ],
)
def test_commune_at_its_question(text: str, commune: str) -> None:
    assert step_slots(text, "ask_commune", _communes(), TODAY) == {"commune": commune}


@pytest.mark.parametrize(
    ("text", "at_summary", "corrects"),
    [
        ("j'ai dit 19 tout à l'heure mais en vrai j'ai 18", False, True),
        ("attends c pas Verdun c Thierville, jai démenagé", False, True),
        ("oui sauf l'âge, j'ai 20 pas 21", True, True),
        ("oui sauf l'âge, j'ai 20 pas 21", False, False),
        ("non pas le 06 12 55 48 30, c'est 06 12 55 48 03, j'ai inversé", False, True),
        ("en fait le matin, j'ai deux enfants de 3 et 5 ans", False, False),
        ("en vrai c'est ma mère qui a 45 ans", False, False),
        ("Verdun", True, False),
        ("j'ai 20 ans", True, False),
        ("pas le matin", False, False),
    ],
)
def test_a_correction_in_passing_is_heard(text: str, at_summary: bool, corrects: bool) -> None:
    from bot.nlu.fixes import default_fixes

    assert default_fixes().corrects(text, at_summary=at_summary) is corrects


def test_the_corrections_section_is_required(tmp_path: Path) -> None:
    from bot.nlu.fixes import FixLexicon
    from bot.nlu.lexicon import DATA_DIR, LexiconError

    text = (DATA_DIR / "fixes.toml").read_text(encoding="utf-8")
    (tmp_path / "fixes.toml").write_text(text.split("[corrects]")[0], encoding="utf-8")
    with pytest.raises(LexiconError, match="corrects"):
        FixLexicon.load(tmp_path)


def test_a_landmark_alone_is_no_answer_at_the_commune_question() -> None:
    slots = step_slots("thierville, juste à côté de verdun", "ask_commune", _communes(), TODAY)
    assert slots == {"commune": "Thierville-sur-Meuse"}


@pytest.mark.parametrize(
    ("text", "age"),
    [("vint-trois", 23), ("disneuf ans", 19), ("j ai vint deux ans", 22), ("bientot 20", 19)],
)
def test_misspelt_number_words(text: str, age: int) -> None:
    assert parse_age(text, TODAY) == age
