"""At the welcome: whether a message asks what the network is, before saying yes or no."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.nlu import lexicon
from bot.nlu.lexicon import Phrases

_FILE = lexicon.file_name("welcome")
_MARKS = "?¿？"


class WelcomeLexicon:
    """The phrases of welcome.toml, compiled once."""

    def __init__(self, asks_what: Phrases) -> None:
        self.asks_what_phrases = asks_what

    @classmethod
    def load(cls, directory: Path = lexicon.DATA_DIR) -> WelcomeLexicon:
        data = lexicon.load(_FILE, directory)
        lexicon.check_keys(data, {"asks_what"}, _FILE)
        entry = lexicon.table(data, "asks_what", _FILE)
        lexicon.check_keys(entry, {"phrases"}, f"{_FILE} asks_what")
        phrases = lexicon.phrase_list(entry, "phrases", f"{_FILE} asks_what")
        if not phrases:
            raise lexicon.LexiconError(f"nlu data: {_FILE} asks_what.phrases is empty")
        return cls(Phrases.compile(phrases))

    def asks_what(self, text: str) -> bool:
        """ "C'est quoi ?", "c koi", "ça sert à quoi": the youth wants the network explained."""
        if not isinstance(text, str):
            return False
        if any(mark in text for mark in _MARKS):
            return True
        return self.asks_what_phrases.search(lexicon.fold(text)) is not None


@lru_cache(maxsize=1)
def default_welcome() -> WelcomeLexicon:
    """The bundled welcome.toml, loaded once per process."""
    return WelcomeLexicon.load()
