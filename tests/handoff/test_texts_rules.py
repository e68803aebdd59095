"""Validation of one edit: unknown keys, placeholders, braces, buttons, lengths, the start check."""

from __future__ import annotations

import pytest

from bot.texts import REFERENCE_FILE, Texts
from handoff.meetings import check_catalogue
from handoff.texts_preview import BUTTONS, YOUTH_SECTIONS, message_of, preview, sample
from handoff.texts_rules import BUTTON_MAX, TEXT_MAX, TextRefused, check, is_button, problems

FILE = Texts.load()


def reasons(key: str, text: object, live: dict[str, str] | None = None) -> list[str]:
    return [k.partition(".")[2] for k, _ in problems(key, text, FILE, live or {})]


def test_a_good_edit_passes_and_keeps_its_placeholders() -> None:
    assert reasons("age.ask", "Et tu as quel âge, {first_name} ?") == []
    assert check("faq.free", "Oui, c'est gratuit.", FILE, {}) == "Oui, c'est gratuit."
    assert reasons("welcome.btn_start", "Go 🚀") == []


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("welcome.nope", "x", ["error_unknown_key"]),
        ("meta.privacy_version", "2030-01", ["error_unknown_key"]),
        ("age.ask", 12, ["error_field_type"]),
        ("age.ask", " \n ", ["error_empty"]),
        ("age.ask", "Quel âge ?", ["error_placeholder_missing"]),
        ("age.ask", "{first_name}, {age} ?", ["error_placeholder_unknown"]),
        ("faq.free", "Gratuit {first_name}", ["error_placeholder_unknown"]),
        ("age.ask", "{first_name:>99} ?", ["error_braces"]),
        ("age.ask", "{first_name} {} ?", ["error_braces"]),
        (
            "age.ask",
            "{first_name.__class__} ?",
            ["error_placeholder_missing", "error_placeholder_unknown"],
        ),
        ("age.ask", "{first_name} }", ["error_braces"]),
        ("need.btn_job", "x" * (BUTTON_MAX + 1), ["error_button_long"]),
        ("need.btn_job", "Un\njob", ["error_button_lines"]),
        ("faq.free", "x" * (TEXT_MAX + 1), ["error_too_long"]),
        ("meeting.months", "jan fév mars", ["error_word_list"]),
    ],
)
def test_a_bad_edit_gets_every_reason(key: str, text: object, expected: list[str]) -> None:
    assert reasons(key, text) == expected
    with pytest.raises(TextRefused) as refused:
        check(key, text, FILE, {})
    message = refused.value.body(FILE)
    assert message["error"] == message["problems"][0] and message["error"]


def test_every_reason_reads_as_french_from_the_catalogue() -> None:
    refused = TextRefused(problems("need.btn_job", "Un\n" + "x" * 30, FILE, {}))
    assert refused.body(FILE)["problems"] == [
        "Un titre de bouton tient sur une seule ligne.",
        "Titre de bouton trop long : 33 caractères, 20 au plus (limite de Messenger et d'Instagram).",
    ]


def test_the_limits_are_the_platforms() -> None:
    assert BUTTON_MAX == 20  # Messenger and Instagram quick reply titles
    assert TEXT_MAX == 4000  # one message on the web chat (Telegram allows 4,096)


def test_every_edit_that_passes_also_passes_the_start_up_checks() -> None:
    live = {"meeting.weekdays": "lun mar mer jeu ven sam dim"}
    assert reasons("meeting.months", "a b c d e f g h i j k l", live) == []
    merged = FILE.with_overrides({**live, "meeting.months": "a b c d e f g h i j k l"})
    assert check_catalogue(merged) == []
    Texts.validate({k: merged.raw(k) for k in merged.keys()}, {k: FILE.raw(k) for k in FILE.keys()})


def test_adopt_changes_the_entries_every_holder_sees() -> None:
    held = Texts.load()
    edited = held.with_overrides({"faq.free": "Gratuit !"})
    held.adopt(edited)
    assert held("faq.free") == "Gratuit !" and REFERENCE_FILE.exists()


def test_every_button_title_is_shown_with_its_message_and_every_group_is_real() -> None:
    buttons = [k for k in FILE.keys() if is_button(k)]
    assert buttons and all(message_of(k) is not None for k in buttons)
    for message, titles in BUTTONS.items():
        assert message in FILE.keys() and message.partition(".")[0] in YOUTH_SECTIONS
        assert all(t.startswith("@") or is_button(t) for t in titles)


def test_the_preview_of_a_team_text_is_plain_and_samples_fill_placeholders() -> None:
    assert preview("dashboard.claim_lost", "Trop tard : {name}.", FILE) == {
        "kind": "team",
        "text": "Trop tard : name.",
    }
    assert sample("Re {first_name} !") == "Re Lina !"
    assert sample("cassé {") == "cassé {"


def test_a_long_text_is_split_per_channel_in_the_preview() -> None:
    long = ". ".join(["Une phrase assez longue pour remplir un message"] * 60)
    shown = preview("faq.free", long, FILE)
    assert len(shown["messenger"]["parts"]) == 2 and shown["instagram_parts"] == 3
    assert len(shown["telegram"]["parts"]) == 1 and shown["web"]["parts"] == [long]
