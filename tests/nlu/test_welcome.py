"""At the welcome: a message asking what this is gets the explanation, read from data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.nlu.lexicon import DATA_DIR, LexiconError
from bot.nlu.welcome import WelcomeLexicon, default_welcome
from tests.flows.test_intake import buttons, run, said


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("c'est quoi", True),
        ("c koi", True),
        ("ça sert à quoi", True),
        ("Explique moi", True),
        ("pk vous me parlez", True),
        ("vous êtes qui ?", True),
        ("kesako", True),
        ("ok", False),
        ("vas y", False),
        ("non merci", False),
        ("commencer", False),
        ("quoicoubeh", False),  # a word starting like "quoi" is not the word
    ],
)
def test_a_message_asks_what_this_is(text: str, asks: bool) -> None:
    assert default_welcome().asks_what(text) is asks


@pytest.mark.parametrize("text", ["c koi", "ça sert à quoi", "euh expliquez svp"])
def test_the_flow_explains_the_network_on_such_a_message(deps: Any, text: str) -> None:
    r = run(deps, "welcome", text=text, consented=False)
    assert r.state == "welcome"
    assert "équipe mobile" in said(r)
    assert buttons(r) == ["START", "NO"]


def test_a_bad_welcome_file_names_the_file_and_entry(tmp_path: Path) -> None:
    shutil.copy(DATA_DIR / "welcome.toml", tmp_path / "welcome.toml")
    target = tmp_path / "welcome.toml"
    target.write_text(target.read_text(encoding="utf-8").replace('"koi"', '"Koi"'), "utf-8")
    with pytest.raises(LexiconError, match=r"welcome.toml asks_what.phrases\[\d+\]"):
        WelcomeLexicon.load(tmp_path)
    target.write_text("[asks_what]\nphrases = []\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"asks_what\.phrases is empty"):
        WelcomeLexicon.load(tmp_path)
