"""Settings and the text catalogue are checked at start; the README documents every setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import Settings, load_settings, settings_table
from bot.texts import REFERENCE_FILE, Texts

ROOT = Path(__file__).resolve().parents[1]


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _, meaning in settings_table():
        assert f"| `{name}` |" in readme, name
        assert meaning, name


def test_bad_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="MILOMOUV_PORT"):
        load_settings(env_file=None, MILOMOUV_PORT="70000")


def test_secrets_never_print() -> None:
    s = load_settings(env_file=None, TELEGRAM_BOT_TOKEN="123:SECRET-TOKEN")
    assert "SECRET-TOKEN" not in repr(s) and "SECRET-TOKEN" not in str(s)
    assert isinstance(s, Settings)


def test_shipped_catalogue_is_valid_and_buttons_fit_messenger() -> None:
    texts = Texts.load()
    for key in texts.keys():
        if ".btn_" in key:
            assert len(texts.raw(key)) <= 20, key


def test_every_catalogue_key_used_in_code_exists() -> None:
    keys = set(Texts.load().keys())
    pattern = re.compile(r"""["']((?:[a-z_]+)\.(?:[a-z_]+))["']""")
    sections = {k.split(".")[0] for k in keys}
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handoff/**/*.py")]:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1)
            module = ROOT / key.replace(".", "/")
            is_module = module.with_suffix(".py").exists() or module.is_dir()
            if key.split(".")[0] in sections and not is_module:
                assert key in keys, f"{path.name}: {key}"


def test_override_missing_a_placeholder_is_refused() -> None:
    texts = Texts.load(REFERENCE_FILE)
    with pytest.raises(ConfigError, match=r"summary.text lacks the placeholder \{age\}"):
        texts.with_overrides({"summary.text": "Récap : {first_name}"})
    with pytest.raises(ConfigError, match="unknown placeholder"):
        texts.with_overrides({"name.ask": "Salut {prenom}"})
    with pytest.raises(ConfigError, match="longer than 20"):
        texts.with_overrides({"welcome.btn_no": "Non merci, vraiment pas aujourd'hui"})
