"""After an erasure, no byte of the youth is left in any file of the data folder (WAL included)."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.events import InboundEvent, Reply
from bot.store.base import ThreadEntry, TicketDraft, UnitOfWork
from bot.store.roles_media import MediaDraft
from bot.store.sqlite import SQLiteStore
from tests.support.store import staff

FIRST_NAME = b"Zephyrine"  # an invented youth
PHONE = b"0612345678"
CV_PHOTO = b"\xff\xd8\xff\xe0" + b"CV-of-Zephyrine-" * 4000  # a youth's file, ~64 KB


def _files_holding(folder: Path, needle: bytes) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and needle in p.read_bytes())


async def test_an_erased_youth_leaves_no_trace_in_any_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = SQLiteStore(folder)
    await store.open()
    name, phone = FIRST_NAME.decode(), PHONE.decode()
    saved = await store.ingest(
        InboundEvent("web", "u1", "e1", "text", text=f"moi c {name} {phone}"), 1.0
    )
    assert saved is not None
    conv = await store.get_conversation(saved[0])
    assert conv is not None
    conv.profile = {"first_name": name, "phone": phone}
    conv.scratch = {"_candidates": [name]}
    conv.mode = "waiting"
    result = await store.commit(
        UnitOfWork(
            conversation=conv,
            inbox_id=saved[1],
            open_ticket=TicketDraft("normal", "intake_done", {"first_name": name, "phone": phone}),
            replies=[Reply(f"Merci {name}, on t'appelle au {phone}")],
        ),
        2.0,
    )
    assert result.ticket_id is not None
    anne = await staff(store, "anne@ml.example")
    await store.add_note(result.ticket_id, anne.id, f"{name} rappeler au {phone}", 3.0)
    await store.commit(
        UnitOfWork(
            conversation=conv,
            thread=[ThreadEntry("in", "youth", "[image]")],
            media=[MediaDraft("image", "https://cdn.example/cv.jpg")],
        ),
        3.0,
    )
    [photo] = await store.media_due(3.0)
    assert await store.claim_media(photo.id, "fetcher", 60.0, 3.0)
    assert await store.media_fetched(photo.id, "fetcher", "image/jpeg", CV_PHOTO, 3.0)
    sent = CV_PHOTO.replace(b"CV-of", b"Map-to")
    await store.add_media(conv.id, "web", "file", "application/pdf", "plan.pdf", sent, 3.0)
    assert _files_holding(folder, b"CV-of-Zephyrine-" * 8)
    assert _files_holding(folder, FIRST_NAME)  # the test looks where the data really is

    await store.erase_conversation(conv.id, 4.0, actor="staff:1", action="erased_test")
    assert _files_holding(folder, FIRST_NAME) == []
    assert _files_holding(folder, PHONE) == []
    assert _files_holding(folder, b"CV-of-Zephyrine-" * 8) == []
    assert _files_holding(folder, b"Map-to-Zephyrine-" * 8) == []
    await store.close()
    assert _files_holding(folder, FIRST_NAME) == [] and _files_holding(folder, PHONE) == []


async def test_the_data_folder_and_its_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    store = SQLiteStore(folder)
    await store.open()
    await store.ingest(InboundEvent("web", "u1", "e1", "text", text="salut"), 1.0)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}
    assert set(modes) >= {"milomouv.sqlite3", "milomouv.sqlite3-wal", "milomouv.sqlite3.lock"}
    assert all(mode == 0o600 for mode in modes.values()), modes
    await store.close()
