"""The slot parsers' data files: every entry valid, and a bad file named in the error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.nlu import wordlists
from bot.nlu.normalise import normalize
from bot.nlu.wordlists import PhraseSet, WordListError

# The slot parsers' files (other files in the folder belong to other readers).
SLOT_FILES = [
    "age",
    "availability",
    "communes",
    "contact",
    "early",
    "names",
    "need",
    "numbers",
    "yesno",
]
# Raw symbols, matched as typed rather than normalised.
SYMBOL_LISTS = {("yesno", "emoji.yes"), ("yesno", "emoji.no")}


def _lists(data: object, prefix: str = "") -> list[tuple[str, object]]:
    """(dotted key, value) of every list and table of scalars in a parsed file."""
    found: list[tuple[str, object]] = []
    assert isinstance(data, dict)
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
            found += _lists(value, dotted + ".")
        elif isinstance(value, dict) and any(isinstance(v, list) for v in value.values()):
            found += _lists(value, dotted + ".")
        else:
            found.append((dotted, value))
    return found


def test_every_slot_file_exists() -> None:
    assert set(SLOT_FILES) <= set(wordlists.data_files())


@pytest.mark.parametrize("name", SLOT_FILES)
def test_every_entry_is_valid(name: str) -> None:
    entries = _lists(wordlists.load(name))
    assert entries
    for key, value in entries:
        if (name, key) in SYMBOL_LISTS:
            assert wordlists.symbols(name, key)
        elif isinstance(value, list):
            assert wordlists.phrases(name, key)  # normalised, non-empty, no duplicates
        elif isinstance(value, dict) and all(isinstance(v, int) for v in value.values()):
            assert wordlists.numbers(name, key)
        else:
            assert wordlists.words(name, key)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(wordlists, "DATA_DIR", tmp_path)
    wordlists.load.cache_clear()
    yield tmp_path
    wordlists.load.cache_clear()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('words = ["Ça va"]', "bad.toml: words[0]: 'Ça va' must be written as 'ca va'"),
        ('words = ["ok", "ok"]', "bad.toml: 'words' lists 'ok' twice"),
        ('words = ["ok", ""]', "bad.toml: words[1]: '' is not a non-empty string"),
        ("words = []", "bad.toml: 'words' must be a non-empty list of phrases"),
        ("other = [1]", "bad.toml: missing entry 'words'"),
        ('words = ["ok"', "bad.toml: cannot be read"),
    ],
)
def test_a_bad_file_names_the_file_and_entry(data_dir: Path, content: str, message: str) -> None:
    (data_dir / "bad.toml").write_text(content, encoding="utf-8")
    with pytest.raises(WordListError) as error:
        wordlists.phrases("bad", "words")
    assert str(error.value).startswith(message)


def test_missing_file_is_named(data_dir: Path) -> None:
    with pytest.raises(WordListError, match=r"^absent\.toml: cannot be read"):
        wordlists.load("absent")


def test_phrases_match_whole_tokens_only() -> None:
    phrases = PhraseSet(["pas", "pas du tout", "taf"])
    text = normalize("Pas du tout, j'ai un taff et c'est passé")
    assert [m.group(0) for m in phrases.finditer(text)] == ["pas du tout"]
    assert phrases.fullmatch("taf")
    assert not phrases.search("passe")
