"""The intake flow, step by step, with the real catalogue, commune data and parsers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.flows.intake import FlowInput, StepResult, step
from bot.flows.machine import STATES, TRANSITIONS

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10H = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
FULL = {
    "first_name": "Lina",
    "age": 19,
    "commune": "Stenay",
    "commune_code": "55502",
    "departement": "55",
    "territory": "CC du Pays de Stenay et du Val Dunois",
    "need": "job",
    "contact_kind": "chat",
    "availability": ["weekday_morning"],
}


def run(
    deps: Any,
    state: str,
    profile: dict[str, Any] | None = None,
    text: str = "",
    payload: str = "",
    *,
    misses: int = 0,
    consented: bool = True,
    kind: str | None = None,
    attachments: tuple[str, ...] = (),
    scratch: dict[str, Any] | None = None,
) -> StepResult:
    kind = kind or ("button" if payload else "text")
    inp = FlowInput(kind, text, payload, attachments, now=TUESDAY_10H)
    return step(deps, state, profile or {}, misses, inp, consented=consented, scratch=scratch)


def said(result: StepResult) -> str:
    return "\n".join(r.text for r in result.replies)


def buttons(result: StepResult) -> list[str]:
    return [b.payload for b in result.replies[-1].buttons]


def effects(result: StepResult) -> list[str]:
    return [e.kind for e in result.effects]


# --- the graph -----------------------------------------------------------------
def test_every_transition_names_known_states() -> None:
    for t in TRANSITIONS:
        source = t["source"]
        sources = source if isinstance(source, list) else [source]
        for s in [*sources, t["dest"]]:
            assert s in STATES, t  # real source states, never "*"


# --- welcome -----------------------------------------------------------------
def test_first_message_gets_the_welcome_with_three_choices(deps: Any) -> None:
    r = run(deps, "new", text="salut", consented=False)
    assert r.state == "welcome"
    assert "assistant automatique" in said(r)
    assert "Mission locale" in said(r)
    assert "gratuit" in said(r)
    assert "confidentialité" in said(r)
    assert buttons(r) == ["START", "WHAT", "NO"]
    assert r.effects == []  # nothing recorded before acceptance


def test_what_is_it_explains_and_returns_to_the_choice(deps: Any) -> None:
    r = run(deps, "welcome", payload="WHAT", consented=False)
    assert r.state == "welcome"
    for word in ("équipe mobile", "chantier", "job", "formation", "permis", "logement"):
        assert word in said(r)
    assert buttons(r) == ["START", "NO"]


@pytest.mark.parametrize("answer", ["oui", "ouais", "ok", "d'accord"])
def test_yes_records_consent_and_asks_the_name(deps: Any, answer: str) -> None:
    r = run(deps, "welcome", text=answer, consented=False)
    assert r.state == "ask_name"
    assert effects(r) == ["consent"]


@pytest.mark.parametrize("question", ["c koi", "c'est quoi ?", "ça sert à quoi", "explique"])
def test_asking_what_it_is_in_words(deps: Any, question: str) -> None:
    r = run(deps, "welcome", text=question, consented=False)
    assert r.state == "welcome" and "équipe mobile" in said(r)


def test_start_button(deps: Any) -> None:
    r = run(deps, "welcome", payload="START", consented=False)
    assert (r.state, effects(r)) == ("ask_name", ["consent"])
    assert "prénom" in said(r)


def test_no_thanks_stores_nothing(deps: Any) -> None:
    r = run(deps, "welcome", payload="NO", consented=False)
    assert r.state == "declined"
    assert r.profile == {}
    assert "consent" not in effects(r)


def test_coming_back_after_no_thanks_shows_the_welcome(deps: Any) -> None:
    r = run(deps, "declined", text="re", consented=False)
    assert r.state == "welcome"


# --- first name ----------------------------------------------------------------
def test_name_is_stored_and_age_asked_by_name(deps: Any) -> None:
    r = run(deps, "ask_name", text="moi c'est lina")
    assert r.state == "ask_age"
    assert r.profile["first_name"] == "Lina"
    assert "Lina" in said(r)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "rien"),
        ("0612345678", "numéro"),
        ("https://example.org", "lien"),
        ("Marie-Christine-Alexandra-Josephine-Bernadette-Antoinette", "long"),
    ],
)
def test_bad_names_get_a_kind_reask_with_an_example(deps: Any, text: str, hint: str) -> None:
    r = run(deps, "ask_name", text=text)
    assert r.state == "ask_name"
    assert "first_name" not in r.profile
    assert "par exemple" in said(r)
    assert hint in said(r).lower()
    assert r.misses == 1


def test_two_misses_offer_a_human_and_no_third_reask(deps: Any) -> None:
    r = run(deps, "ask_name", text="123", misses=1)
    assert r.state == "offer_human"
    assert buttons(r) == ["HUMAN:yes", "HUMAN:no"]
    yes = run(deps, "offer_human", r.profile, payload="HUMAN:yes", scratch=r.scratch)
    assert yes.state == "done"
    assert [e.reason for e in yes.effects if e.kind == "open_ticket"] == ["misunderstood"]
    no = run(deps, "offer_human", r.profile, payload="HUMAN:no", scratch=r.scratch)
    assert no.state == "ask_name"
    assert no.misses == 0
    retry = run(deps, "offer_human", r.profile, text="Yanis", scratch=r.scratch)
    assert retry.state == "ask_age" and retry.profile["first_name"] == "Yanis"


def test_declining_the_offered_human_in_words_goes_back_to_the_question(deps: Any) -> None:
    r = run(deps, "ask_name", text="123", misses=1)
    assert r.state == "offer_human"
    # "ça ira" confirms at the summary but declines an offer.
    no = run(deps, "offer_human", r.profile, text="merci mais ça ira", scratch=r.scratch)
    assert no.state == "ask_name"
    assert not [e for e in no.effects if e.kind == "open_ticket"]


def test_still_stuck_after_the_offer_hands_over_instead_of_looping(deps: Any) -> None:
    offered = run(deps, "ask_age", {"first_name": "Lina"}, text="bof", misses=1)
    assert offered.state == "offer_human"
    back = run(deps, "offer_human", offered.profile, payload="HUMAN:no", scratch=offered.scratch)
    assert back.state == "ask_age"
    again = run(deps, "ask_age", back.profile, text="euh", misses=back.misses, scratch=back.scratch)
    assert again.state == "ask_age" and again.misses == 1
    handed = run(
        deps, "ask_age", again.profile, text="jsp", misses=again.misses, scratch=again.scratch
    )
    assert handed.state == "done"
    assert [(e.kind, e.reason) for e in handed.effects] == [("open_ticket", "misunderstood")]
    assert "une vraie personne" in said(handed)


# --- age -------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["19", "19 ans", "jai 19ans", "dix-neuf", "12/03/2007"])
def test_age_forms(deps: Any, text: str) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, text=text)
    assert r.state == "ask_commune", said(r)
    assert r.profile["age"] == 19


def test_under_16_gets_help_no_ticket_and_data_dropped(deps: Any) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, text="14 ans")
    assert r.state == "ended"
    assert r.profile == {}
    assert "drop_profile" in effects(r) and "open_ticket" not in effects(r)
    assert "119" in said(r) and "0 800 235 236" in said(r)


def test_over_29_is_pointed_to_france_travail(deps: Any) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, text="34")
    assert r.state == "ended" and r.profile == {}
    assert "France Travail" in said(r)
    assert "Mission locale" in said(r)
    assert "open_ticket" not in effects(r)


def test_unclear_age_reask(deps: Any) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, text="jsp")
    assert r.state == "ask_age" and "19" in said(r)


# --- commune -----------------------------------------------------------------------
def test_commune_found(deps: Any) -> None:
    r = run(deps, "ask_commune", {"first_name": "Lina", "age": 19}, text="j'habite a verdun")
    assert r.state == "ask_need"
    assert r.profile["commune"] == "Verdun" and r.profile["commune_code"] == "55545"
    assert r.profile["territory"]


def test_postcode_asks_which_with_buttons_then_accepts_a_tap(deps: Any) -> None:
    r = run(deps, "ask_commune", {"first_name": "Lina", "age": 19}, text="55100")
    assert r.state == "ask_commune"
    assert "55100" in said(r) and "26" in said(r)
    offered = buttons(r)
    assert 2 <= len(offered) <= 4 and offered[-1] == "COMMUNE:other"
    tap = run(deps, "ask_commune", r.profile, payload=offered[0], scratch=r.scratch)
    assert tap.state == "ask_need" and tap.profile["commune_code"] == offered[0].split(":")[1]
    typed = run(deps, "ask_commune", r.profile, text="belleville", scratch=r.scratch)
    assert typed.state == "ask_need" and typed.profile["commune"] == "Belleville-sur-Meuse"


def test_outside_meuse_is_told_kindly_and_still_offered_a_human(deps: Any) -> None:
    r = run(deps, "ask_commune", {"first_name": "Lina", "age": 19}, text="Reims")
    assert r.state == "outside"
    assert "Marne" in said(r) and "1jeune1solution" in said(r)
    assert buttons(r) == ["HUMAN:yes", "HUMAN:no"]
    human = run(deps, "outside", r.profile, payload="HUMAN:yes", scratch=r.scratch)
    assert human.state == "done"
    assert [e.reason for e in human.effects if e.kind == "open_ticket"] == ["outside_meuse"]
    bye = run(deps, "outside", r.profile, payload="HUMAN:no", scratch=r.scratch)
    assert bye.state == "declined" and bye.profile == {}


def test_unknown_commune_reask(deps: Any) -> None:
    r = run(deps, "ask_commune", {"first_name": "Lina", "age": 19}, text="jsp")
    assert r.state == "ask_commune" and "par exemple" in said(r)


# --- need, contact, availability ------------------------------------------------------
def test_need_button_and_free_text(deps: Any) -> None:
    base = {k: FULL[k] for k in ("first_name", "age", "commune", "commune_code")}
    r = run(deps, "ask_need", base, payload="NEED:mobility")
    assert r.state == "ask_contact" and r.profile["need"] == "mobility"
    r = run(deps, "ask_need", base, text="jcherche un taf")
    assert r.profile["need"] == "job"
    r = run(deps, "ask_need", base, payload="NEED:other")
    assert r.state == "need_other"
    r = run(deps, "need_other", base, text="des soucis de papiers pour la CAF")
    assert r.state == "ask_contact" and r.profile["need_text"].startswith("des soucis")


def test_contact_phone_with_preference_in_the_text(deps: Any) -> None:
    base = {k: FULL[k] for k in ("first_name", "age", "commune", "commune_code", "need")}
    r = run(deps, "ask_contact", base, text="06 12 34 56 78 plutot par sms")
    assert r.state == "ask_availability"
    assert r.profile["phone"] == "+33612345678" and r.profile["contact_pref"] == "sms"


def test_contact_preference_button_then_number(deps: Any) -> None:
    base = {k: FULL[k] for k in ("first_name", "age", "commune", "commune_code", "need")}
    r = run(deps, "ask_contact", base, payload="PREF:call")
    assert r.state == "ask_contact" and r.profile["contact_pref"] == "call"
    r = run(deps, "ask_contact", r.profile, text="+33 6 12 34 56 78", scratch=r.scratch)
    assert r.state == "ask_availability"
    assert r.profile["contact_pref"] == "call" and r.profile["phone"] == "+33612345678"


def test_contact_email_and_chat(deps: Any) -> None:
    base = {k: FULL[k] for k in ("first_name", "age", "commune", "commune_code", "need")}
    r = run(deps, "ask_contact", base, text="Lina.M@Example.org")
    assert r.profile["email"] == "lina.m@example.org"
    r = run(deps, "ask_contact", base, payload="CONTACT:chat")
    assert r.profile["contact_kind"] == "chat"


def test_availability_free_text(deps: Any) -> None:
    base = {k: v for k, v in FULL.items() if k != "availability"}
    r = run(deps, "ask_availability", base, text="plutot lundi matin")
    assert r.state == "summary"
    assert r.profile["availability"] == ["weekday_morning"]
    assert buttons(r) == ["SUMMARY:ok", "SUMMARY:fix"]


# --- summary, fixing, hand-off ------------------------------------------------------------
def test_summary_shows_every_field(deps: Any) -> None:
    base = {k: v for k, v in FULL.items() if k != "availability"}
    r = run(deps, "ask_availability", base, payload="AVAIL:evening")
    text = said(r)
    for part in ("Lina", "19 ans", "Stenay", "trouver un job", "ici, sur ce chat", "le soir"):
        assert part in text


def test_fixing_one_field_returns_to_the_summary(deps: Any) -> None:
    r = run(deps, "summary", FULL, payload="SUMMARY:fix")
    assert r.state == "fix_which"
    r = run(deps, "fix_which", r.profile, payload="FIX:age", scratch=r.scratch)
    assert r.state == "ask_age" and "age" not in r.profile
    r = run(deps, "ask_age", r.profile, text="20", scratch=r.scratch)
    assert r.state == "summary" and r.profile["age"] == 20
    assert r.profile["first_name"] == "Lina"  # nothing else asked again


def test_fix_by_words(deps: Any) -> None:
    r = run(deps, "fix_which", FULL, text="mon numéro")
    assert r.state == "ask_contact"


def test_confirming_opens_a_ticket_and_says_when_a_human_answers(deps: Any) -> None:
    r = run(deps, "summary", FULL, payload="SUMMARY:ok")
    assert r.state == "done"
    assert [(e.kind, e.reason) for e in r.effects] == [("open_ticket", "intake_done")]
    assert "Lina" in said(r) and "conseiller" in said(r)
    assert "aujourd'hui" in said(r)  # Tuesday 10:00: office open


# --- commands at any step ---------------------------------------------------------------------
@pytest.mark.parametrize("state", ["ask_name", "ask_age", "ask_commune", "summary"])
def test_human_at_any_step_opens_a_ticket_with_what_is_known(deps: Any, state: str) -> None:
    r = run(deps, state, {"first_name": "Lina"}, text="je veux parler à un conseiller")
    assert r.state == "done"
    assert [(e.kind, e.reason) for e in r.effects] == [("open_ticket", "asked_human")]
    assert r.profile["first_name"] == "Lina"


def test_human_before_consent_records_consent(deps: Any) -> None:
    r = run(deps, "welcome", text="humain", consented=False)
    assert effects(r) == ["consent", "open_ticket"]


def test_stop_pauses(deps: Any) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, text="stop")
    assert effects(r) == ["pause"] and r.state == "ask_age"
    assert "reprendre" in said(r)


def test_restart_clears_and_asks_the_name(deps: Any) -> None:
    r = run(deps, "ask_need", {"first_name": "Lina", "age": 19}, text="recommencer")
    assert r.state == "ask_name" and r.profile == {}


def test_help_explains_and_asks_again(deps: Any) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, text="aide")
    assert r.state == "ask_age"
    assert "conseiller" in said(r) and "quel âge" in said(r)


@pytest.mark.parametrize("state", ["new", "welcome", "ask_age", "summary"])
def test_distress_gives_numbers_and_an_urgent_ticket(deps: Any, state: str) -> None:
    r = run(
        deps,
        state,
        {"first_name": "Lina"},
        text="j'ai envie de mourir",
        consented=state not in ("new", "welcome"),
    )
    for number in ("15", "17", "112", "114", "3114", "119", "3919", "115", "0 800 235 236"):
        assert number in said(r)
    urgent = [(e.kind, e.priority) for e in r.effects if e.kind == "open_ticket"]
    assert urgent == [("open_ticket", "urgent")]
    assert r.state == "done"


@pytest.mark.parametrize(
    ("kind", "word"), [("voice", "vocaux"), ("image", "images"), ("sticker", "écrit")]
)
def test_attachments_get_a_kind_answer(deps: Any, kind: str, word: str) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, kind="attachment", attachments=(kind,))
    assert word in said(r) and r.state == "ask_age" and r.misses == 0


def test_privacy_command_shows_the_notice(deps: Any) -> None:
    r = run(deps, "ask_age", {"first_name": "Lina"}, text="confidentialité")
    assert "CNIL" in said(r) and "Base légale" in said(r)


def test_erase_asks_confirmation_then_erases(deps: Any) -> None:
    r = run(deps, "ask_need", {"first_name": "Lina", "age": 19}, text="supprime mes données")
    assert r.state == "confirm_erase"
    yes = run(deps, "confirm_erase", r.profile, payload="ERASE:yes", scratch=r.scratch)
    assert effects(yes) == ["erase"] and yes.profile == {} and yes.state == "new"
    no = run(deps, "confirm_erase", r.profile, payload="ERASE:no", scratch=r.scratch)
    assert no.state == "ask_need" and no.profile["first_name"] == "Lina"


def test_returning_youth_is_greeted_by_name_and_not_asked_again(deps: Any) -> None:
    r = run(deps, "done", FULL, text="salut")
    assert "Re Lina" in said(r)
    assert r.state == "summary"  # straight to confirming what is known
