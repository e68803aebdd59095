"""Loading and validating the phrase files under bot/nlu/data, compiled once at start."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.nlu.normalise import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
_SQUEEZE_RE = re.compile(r"([^\W\d_])\1{2,}")
# A phrase is words: "a|b" alternatives, "*" any word, "..." a gap of up to three words,
# "pref~" any word starting with "pref"; "[a b|c]" an optional group and "(a b|c)" a
# required one, whose alternatives may be several words.
_TOKEN_RE = re.compile(r"\[[^\[\]()]*\]|\([^\[\]()]*\)|\S+")
_WORD_RE = re.compile(r"^(?:\*|[a-z0-9]+~?(?:\|[a-z0-9]+~?)*)$")


class LexiconError(ConfigError):
    """A phrase file is missing, malformed or holds a bad entry."""


def fold(text: str) -> str:
    """The normalised form phrases are matched against: lowercase, no accents, squeezed."""
    return _SQUEEZE_RE.sub(r"\1", normalize(text)) if isinstance(text, str) else ""


def _word(word: str) -> str:
    if word == "*":
        return r"[a-z0-9]+"
    alts = (
        re.escape(a[:-1]) + r"[a-z0-9]*" if a.endswith("~") else re.escape(a)
        for a in word.split("|")
    )
    return "(?:" + "|".join(alts) + ")"


def _group(body: str) -> str:
    """Alternatives of one or more words each, every word with its trailing space."""
    alts = ("".join(_word(w) + " " for w in alt.split()) for alt in body.split("|"))
    return "(?:" + "|".join(alts) + ")"


def tokens(phrase: str) -> list[str]:
    return _TOKEN_RE.findall(phrase)


def bad_token(phrase: str) -> str | None:
    """The first malformed token of a phrase, or None."""
    for token in tokens(phrase):
        if token == "...":
            continue
        if token[0] in "[(":
            words = [w for alt in token[1:-1].split("|") for w in (alt.split() or [""])]
        else:
            words = [token]
        if any(not _WORD_RE.match(w) for w in words):
            return token
    return None


def phrase_pattern(phrase: str) -> str:
    """The regular expression for one phrase; each word carries its trailing space."""
    out = []
    for token in tokens(phrase):
        if token == "...":
            out.append(r"(?:[a-z0-9]+ ){0,3}")
        elif token.startswith("["):
            out.append(_group(token[1:-1]) + "?")
        elif token.startswith("("):
            out.append(_group(token[1:-1]))
        else:
            out.append(f"{_word(token)} ")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Phrases:
    """A set of phrases compiled into one matcher."""

    pattern: re.Pattern[str] | None

    @classmethod
    def compile(cls, phrases: Iterable[str]) -> Phrases:
        parts = sorted((phrase_pattern(p) for p in phrases), key=len, reverse=True)
        if not parts:
            return cls(None)
        # Texts are matched padded with spaces: " text ", so words never match halfway.
        return cls(re.compile(r"(?<= )(?:" + "|".join(parts) + ")"))

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(f" {text} ") if self.pattern and text else None

    def count(self, text: str) -> int:
        return len(self.pattern.findall(f" {text} ")) if self.pattern and text else 0

    def fullmatch(self, text: str) -> bool:
        if not self.pattern or not text:
            return False
        return self.pattern.fullmatch(f" {text} ", 1) is not None

    def remove(self, text: str) -> str:
        """The text with every matched phrase cut out."""
        if not self.pattern or not text:
            return text
        return " ".join(self.pattern.sub(" ", f" {text} ").split())


def file_name(stem: str) -> str:
    """The name of the data file `stem`: one TOML file per idea."""
    return f"{stem}.toml"


def load(name: str, directory: Path = DATA_DIR) -> dict[str, Any]:
    """One data file as a dict; a missing or broken file names itself."""
    path = directory / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise LexiconError(f"nlu data: no such file {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"nlu data: {path} is not valid TOML ({exc})") from None


def phrase_list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    """A validated list of phrases: strings of lowercase, unaccented words."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise LexiconError(f"nlu data: {where}.{key} must be a list of phrases")
    for index, phrase in enumerate(value):
        if not isinstance(phrase, str) or not phrase.strip():
            raise LexiconError(f"nlu data: {where}.{key}[{index}] must be a non-empty text")
        bad = bad_token(phrase)
        if bad:
            raise LexiconError(
                f"nlu data: {where}.{key}[{index}] {phrase!r} has a bad word {bad!r}"
                " (lowercase letters without accents, digits, a|b, [optional], (group), *, ..., prefix~)"
            )
    return value


def text_list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    """A validated list of free texts (examples typed as a youth would)."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(f"nlu data: {where}.{key} must be a list of non-empty texts")
    return value


def table(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise LexiconError(f"nlu data: {where} needs a [{key}] table")
    return value


def check_keys(entry: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise LexiconError(f"nlu data: {where} has an unknown field {unknown[0]!r}")
