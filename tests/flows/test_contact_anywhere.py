"""A phone number or an e-mail typed at another step replaces the contact given before."""

from __future__ import annotations

from typing import Any

from tests.flows.test_intake import FULL, run


def test_a_corrected_number_at_the_next_step_replaces_the_old_one(deps: Any) -> None:
    profile = {
        **{k: v for k, v in FULL.items() if k != "availability"},
        "contact_kind": "phone",
        "phone": "+33612345678",
        "contact_pref": "call",
    }
    r = run(deps, "ask_availability", profile, text="oups c 06 12 34 56 87 pas 78")
    assert r.state == "ask_availability"  # the question is still open
    r = run(deps, "ask_availability", r.profile, text="le soir", scratch=r.scratch)
    assert r.state == "summary", (r.effects, r.replies)
    assert r.profile["phone"] == "+33612345687"
    assert r.profile["contact_pref"] == "call"
    assert "early" not in r.scratch


def test_an_email_given_early_skips_the_contact_question(deps: Any) -> None:
    base = {k: v for k, v in FULL.items() if k not in ("contact_kind", "availability")}
    r = run(deps, "ask_need", {k: v for k, v in base.items() if k != "need"},
            text="un taf, mon mail c'est lina.d55@hotmail.fr")  # fmt: skip
    assert r.profile["need"] == "job"
    assert r.state == "ask_availability"
    assert r.profile["contact_kind"] == "email" and r.profile["email"] == "lina.d55@hotmail.fr"
