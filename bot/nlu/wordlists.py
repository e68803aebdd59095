"""Word lists of the slot parsers: TOML files in bot/nlu/data, loaded once and validated.

Every phrase is stored in normalised form (see ``normalise.normalize``) and is
matched on token boundaries, never inside a word.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.nlu.normalise import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"


class WordListError(ValueError):
    """A data file is missing, unreadable or holds a bad entry."""


@functools.cache
def load(name: str) -> dict[str, object]:
    """The parsed ``data/<name>.toml``; raises WordListError naming the file."""
    path = DATA_DIR / f"{name}.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WordListError(f"{path.name}: cannot be read ({exc})") from exc


def _check_phrase(where: str, entry: object) -> str:
    if not isinstance(entry, str) or not entry.strip():
        raise WordListError(f"{where}: {entry!r} is not a non-empty string")
    if normalize(entry) != entry:
        raise WordListError(f"{where}: {entry!r} must be written as {normalize(entry)!r}")
    return entry


def _entry(name: str, key: str) -> object:
    data: object = load(name)
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            raise WordListError(f"{name}.toml: missing entry {key!r}")
        data = data[part]
    return data


def phrases(name: str, key: str) -> tuple[str, ...]:
    """A list of normalised phrases, e.g. ``phrases("need", "keywords.job")``."""
    value = _entry(name, key)
    if not isinstance(value, list) or not value:
        raise WordListError(f"{name}.toml: {key!r} must be a non-empty list of phrases")
    checked = tuple(_check_phrase(f"{name}.toml: {key}[{i}]", e) for i, e in enumerate(value))
    if len(set(checked)) != len(checked):
        dup = next(p for p in checked if checked.count(p) > 1)
        raise WordListError(f"{name}.toml: {key!r} lists {dup!r} twice")
    return checked


def symbols(name: str, key: str) -> tuple[str, ...]:
    """A list of raw symbols (emoji), matched as they are typed."""
    value = _entry(name, key)
    if not isinstance(value, list) or not value:
        raise WordListError(f"{name}.toml: {key!r} must be a non-empty list")
    for i, entry in enumerate(value):
        if not isinstance(entry, str) or not entry.strip():
            raise WordListError(f"{name}.toml: {key}[{i}]: {entry!r} is not a non-empty string")
    return tuple(value)


def _table(name: str, key: str) -> dict[str, object]:
    value = _entry(name, key)
    if not isinstance(value, dict) or not value:
        raise WordListError(f"{name}.toml: {key!r} must be a non-empty table")
    for word in value:
        _check_phrase(f"{name}.toml: {key}.{word}", word)
    return value


def numbers(name: str, key: str) -> dict[str, int]:
    """A table of normalised word -> integer, e.g. month names."""
    table = _table(name, key)
    for word, number in table.items():
        if not isinstance(number, int) or isinstance(number, bool):
            raise WordListError(f"{name}.toml: {key}.{word} must be an integer")
    return {word: number for word, number in table.items() if isinstance(number, int)}


def words(name: str, key: str) -> dict[str, str]:
    """A table of normalised word -> normalised word, e.g. abbreviations."""
    return {
        word: _check_phrase(f"{name}.toml: {key}.{word}", target)
        for word, target in _table(name, key).items()
    }


def alternation(items: Iterable[str]) -> str:
    """Regex alternation of literal phrases, longest first (so "pas du tout" beats "pas")."""
    return "|".join(re.escape(p) for p in sorted(set(items), key=lambda p: (-len(p), p)))


class PhraseSet:
    """Literal phrases matched on token boundaries of a normalised text."""

    __slots__ = ("_re", "items")

    def __init__(self, items: Iterable[str]) -> None:
        self.items = frozenset(items)
        self._re = re.compile(r"(?<![^ ])(?:" + alternation(self.items) + r")(?![^ ])")

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._re.search(text, pos)

    def finditer(self, text: str, pos: int = 0) -> Iterable[re.Match[str]]:
        return self._re.finditer(text, pos)

    def fullmatch(self, text: str) -> bool:
        return self._re.fullmatch(text) is not None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._re.match(text, pos)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self._re.sub(replacement, text)

    def __contains__(self, phrase: object) -> bool:
        return phrase in self.items


def phrase_set(name: str, *keys: str) -> PhraseSet:
    """A PhraseSet over one or more phrase lists of a data file."""
    return PhraseSet(p for key in keys for p in phrases(name, key))


def data_files() -> list[str]:
    """Names of every data file (without ``.toml``)."""
    return sorted(p.stem for p in DATA_DIR.glob("*.toml"))
