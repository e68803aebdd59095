"""The coordinator's edits of the bot texts: the catalogue, one key's history, save, rollback."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from bot.store.roles_texts import TextVersion
from bot.texts import placeholders
from handoff import texts_preview, texts_rules
from handoff.errors import Invalid, NotFound
from handoff.texts_live import LiveTexts

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.service import Handoff

QUERY_MAX = 100


def fold(text: str) -> str:
    """Lowercase without accents, for a search that forgives both."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class TextEditor:
    """Reads and changes the live catalogue; every change is versioned, audited and announced."""

    def __init__(self, service: Handoff, live: LiveTexts) -> None:
        self.service = service
        self.live = live

    def _known(self, key: str) -> None:
        if key not in self.live.defaults.keys() or not texts_rules.editable(key):
            raise NotFound("texts.error_unknown_key", name=key[:80])

    def catalogue(self, query: str = "") -> list[dict[str, Any]]:
        """The editable entries by section, in the file's order; `query` filters key and text."""
        if len(query) > QUERY_MAX:
            raise Invalid("api.error_query")
        words = fold(query).split()
        texts = self.live.texts
        sections: dict[str, list[dict[str, Any]]] = {}
        for key in self.live.defaults.keys():
            if not texts_rules.editable(key):
                continue
            text = texts.raw(key)
            haystack = fold(f"{key} {text} {self.live.defaults.raw(key)}")
            if all(w in haystack for w in words):
                section = key.partition(".")[0]
                sections.setdefault(section, []).append(self._summary(key, text))
        return [{"section": name, "entries": found} for name, found in sections.items()]

    def _summary(self, key: str, text: str) -> dict[str, Any]:
        return {
            "key": key,
            "text": text,
            "edited": key in self.live.overrides,
            "button": texts_rules.is_button(key),
        }

    async def entry(self, key: str) -> dict[str, Any]:
        """One key: its live text, the file's default, what it may use, and its history."""
        self._known(key)
        default = self.live.defaults.raw(key)
        versions = await self.service.store.text_versions(key)
        names = {s.id: s.display_name for s in await self.service.store.list_staff()}
        text = self.live.texts.raw(key)
        return self._summary(key, text) | {
            "default": default,
            "placeholders": sorted(placeholders(default)),
            "limit": texts_rules.BUTTON_MAX if texts_rules.is_button(key) else texts_rules.TEXT_MAX,
            "history": [self._version(v, names) for v in versions],
            "preview": texts_preview.preview(key, text, self.live.texts),
        }

    @staticmethod
    def _version(v: TextVersion, names: dict[int, str]) -> dict[str, Any]:
        author = names.get(v.author_id) if v.author_id is not None else None
        return {
            "version": v.version,
            "text": v.text,
            "is_default": v.text is None,
            "author_id": v.author_id,
            "author": author or "",
            "created_at": v.created_at,
        }

    def try_text(self, key: str, text: object) -> dict[str, Any]:
        """The reasons an edit would be refused, and its preview; nothing is saved."""
        self._known(key)
        found = texts_rules.problems(key, text, self.live.defaults, self._others(key))
        shown = text if isinstance(text, str) else ""
        return {
            "problems": [self.live.texts(k, **v) for k, v in found],
            "preview": texts_preview.preview(key, shown, self.live.texts),
        }

    def _others(self, key: str) -> dict[str, str]:
        return {k: v for k, v in self.live.overrides.items() if k != key}

    async def save(self, staff: Staff, key: str, text: object) -> dict[str, Any]:
        """A new version of `key`, live here at once and on the other instances soon after."""
        self._known(key)
        checked = texts_rules.check(key, text, self.live.defaults, self._others(key))
        return await self._commit(staff, key, checked, "text_saved")

    async def rollback(self, staff: Staff, key: str, version: object) -> dict[str, Any]:
        """Bring back an earlier version (0: the file's default), saved as a new version."""
        self._known(key)
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise Invalid("api.error_field_type", field="version")
        text: str | None = None
        if version:
            found = [v for v in await self.service.store.text_versions(key) if v.version == version]
            if not found:
                raise NotFound("texts.error_version")
            text = found[0].text
        if text is not None:  # checked again: the file may have changed since
            texts_rules.check(key, text, self.live.defaults, self._others(key))
        return await self._commit(staff, key, text, "text_rolled_back", to_version=version)

    async def _commit(
        self, staff: Staff, key: str, text: str | None, action: str, **details: Any
    ) -> dict[str, Any]:
        saved = await self.service.store.save_text_version(key, text, staff.id, self.service.now())
        # The key and version numbers only: the wording stays out of the audit log.
        await self.service.audit(staff, action, f"text:{key}", version=saved.version, **details)
        await self.live.refresh()
        self.live.announce(key)
        return await self.entry(key)
