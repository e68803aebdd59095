"""The French text catalogue: loaded once, validated against the bundled reference."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.errors import ConfigError

REFERENCE_FILE = Path(__file__).resolve().parent / "texts.fr.toml"
BUTTON_TITLE_MAX = 20


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise ConfigError(f"texts: {name} must be a text, not {type(value).__name__}")
    return flat


def placeholders(text: str) -> set[str]:
    """The `{names}` a text uses."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field}
    except ValueError as exc:
        raise ConfigError(f"texts: malformed braces ({exc})") from None


def _read(path: Path) -> dict[str, str]:
    try:
        with path.open("rb") as fh:
            return _flatten(tomllib.load(fh))
    except FileNotFoundError:
        raise ConfigError(f"MILOMOUV_TEXTS_FILE: no such file {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"MILOMOUV_TEXTS_FILE: {path} is not valid TOML ({exc})") from None


class Texts:
    """Lookup and formatting of catalogue entries by dotted key."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        self._entries = dict(entries)

    @classmethod
    def load(cls, path: Path | None = None) -> Texts:
        reference = _read(REFERENCE_FILE)
        entries = reference if path is None or path == REFERENCE_FILE else _read(path)
        cls.validate(entries, reference)
        return cls(entries)

    @staticmethod
    def validate(entries: Mapping[str, str], reference: Mapping[str, str]) -> None:
        """Raise ConfigError naming the first missing key or placeholder."""
        problems = []
        for key, ref_text in reference.items():
            if key not in entries:
                problems.append(f"missing key {key}")
                continue
            expected, found = placeholders(ref_text), placeholders(entries[key])
            for name in sorted(expected - found):
                problems.append(f"{key} lacks the placeholder {{{name}}}")
            for name in sorted(found - expected):
                problems.append(f"{key} uses an unknown placeholder {{{name}}}")
            if ".btn_" in key and len(entries[key]) > BUTTON_TITLE_MAX:
                problems.append(f"{key} is longer than {BUTTON_TITLE_MAX} characters")
            if not entries[key].strip():
                problems.append(f"{key} is empty")
        if problems:
            raise ConfigError("texts: " + "; ".join(problems))

    def __call__(self, key: str, **values: Any) -> str:
        return self._entries[key].format(**values) if values else self._entries[key]

    def raw(self, key: str) -> str:
        return self._entries[key]

    def keys(self) -> list[str]:
        return list(self._entries)

    def with_overrides(self, overrides: Mapping[str, str]) -> Texts:
        """A new catalogue with some entries replaced, validated like a file."""
        merged = {**self._entries, **overrides}
        self.validate(merged, self._entries)
        return Texts(merged)

    def adopt(self, other: Texts) -> None:
        """Take another catalogue's entries in place: every holder of this object sees them."""
        self._entries = other._entries
