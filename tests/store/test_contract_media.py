"""Media rows, their fetch leases, their bytes and their erasure, on every backend."""

from __future__ import annotations

from bot.events import Reply
from bot.store.base import Store, ThreadEntry, UnitOfWork
from bot.store.roles_media import MediaDraft
from tests.support.store import conversation

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 9000  # ~2.3 MB: several Mongo chunks


async def _youth_sent(store: Store, user: str = "u1", at: float = 5.0) -> tuple[str, int]:
    """A youth's message with one image attachment, committed with its pending media row."""
    conv = await conversation(store, user)
    result = await store.commit(
        UnitOfWork(
            conversation=conv,
            thread=[ThreadEntry("in", "youth", "[image]")],
            media=[MediaDraft("image", "https://cdn.example/a.jpg?exp=1")],
        ),
        at,
    )
    return conv.id, result.thread_ids[0]


async def test_an_inbound_attachment_waits_linked_to_its_thread_line(store: Store) -> None:
    conv_id, line = await _youth_sent(store)
    [media] = await store.conversation_media(conv_id)
    assert (media.status, media.direction, media.kind, media.message_id) == (
        "pending",
        "in",
        "image",
        line,
    )
    assert media.ref == "https://cdn.example/a.jpg?exp=1" and media.channel == "web"
    assert [m.id for m in await store.media_due(5.0)] == [media.id]
    assert await store.media_content(media.id) is None


async def test_one_fetcher_at_a_time_and_the_bytes_are_kept_whole(store: Store) -> None:
    await _youth_sent(store)
    [media] = await store.media_due(6.0)
    assert await store.claim_media(media.id, "a", 100.0, 6.0)
    assert not await store.claim_media(media.id, "b", 100.0, 6.0)
    assert await store.media_due(7.0) == []  # leased
    assert not await store.media_fetched(media.id, "b", "image/png", PHOTO, 7.0)
    assert await store.media_fetched(media.id, "a", "image/png", PHOTO, 7.0)
    stored = await store.get_media(media.id)
    assert stored is not None
    assert (stored.status, stored.mime, stored.size, stored.ref) == (
        "stored",
        "image/png",
        len(PHOTO),
        None,
    )
    assert await store.media_content(media.id) == PHOTO
    assert not await store.claim_media(media.id, "a", 200.0, 8.0)  # nothing left to fetch


async def test_an_expired_lease_is_taken_back_and_failures_retry_then_stop(store: Store) -> None:
    await _youth_sent(store)
    [media] = await store.media_due(6.0)
    assert await store.claim_media(media.id, "a", 10.0, 6.0)
    assert await store.claim_media(media.id, "b", 30.0, 11.0)  # a died: its lease expired
    await store.media_retry(media.id, "b", "network", 50.0)
    assert await store.media_due(40.0) == []
    [again] = await store.media_due(50.0)
    assert (again.attempts, again.error) == (1, "network")
    assert await store.claim_media(media.id, "b", 90.0, 50.0)
    assert await store.media_failed(media.id, "b", "too_big", 51.0)
    failed = await store.get_media(media.id)
    assert failed is not None and (failed.status, failed.error, failed.ref) == (
        "failed",
        "too_big",
        None,
    )
    assert await store.media_due(100.0) == []


async def test_a_sent_file_is_linked_to_the_line_of_its_reply(store: Store) -> None:
    conv = await conversation(store, "u2")
    pdf = b"%PDF-1.4\n" + b"x" * 5000
    media = await store.add_media(conv.id, "web", "file", "application/pdf", "plan.pdf", pdf, 3.0)
    assert (media.status, media.direction, media.message_id) == ("stored", "out", None)
    result = await store.commit(
        UnitOfWork(
            conversation=conv,
            replies=[Reply("Le plan", author="counsellor", staff_id=1, media_id=media.id)],
        ),
        4.0,
    )
    [line] = await store.thread(conv.id)
    linked = await store.get_media(media.id)
    assert linked is not None and linked.message_id == line.id and result.outbox_ids
    assert (linked.name, linked.size) == ("plan.pdf", len(pdf))
    assert await store.media_content(media.id) == pdf
    [item] = await store.outbox_heads(10.0)
    assert item.reply.media_id == media.id


async def test_erasure_removes_media_and_bytes(store: Store) -> None:
    conv_id, _ = await _youth_sent(store, "u3")
    [media] = await store.media_due(6.0)
    assert await store.claim_media(media.id, "a", 100.0, 6.0)
    assert await store.media_fetched(media.id, "a", "image/png", PHOTO, 7.0)
    kept_id, _ = await _youth_sent(store, "u4")
    await store.erase_conversation(conv_id, 8.0, actor="youth", action="erased_by_youth")
    assert await store.conversation_media(conv_id) == []
    assert await store.get_media(media.id) is None
    assert await store.media_content(media.id) is None
    assert len(await store.conversation_media(kept_id)) == 1


async def test_an_erased_conversation_gets_no_bytes_from_a_late_fetch(store: Store) -> None:
    conv_id, _ = await _youth_sent(store, "u5")
    [media] = await store.media_due(6.0)
    assert await store.claim_media(media.id, "a", 100.0, 6.0)
    await store.erase_conversation(conv_id, 7.0, actor="youth", action="erased_by_youth")
    assert not await store.media_fetched(media.id, "a", "image/png", PHOTO, 8.0)
    assert await store.media_content(media.id) is None


async def test_retention_removes_the_media_of_an_unfinished_conversation(store: Store) -> None:
    conv_id, _ = await _youth_sent(store, "u6", at=5.0)
    [media] = await store.media_due(6.0)
    assert await store.claim_media(media.id, "a", 100.0, 6.0)
    assert await store.media_fetched(media.id, "a", "image/png", PHOTO, 7.0)
    assert await store.purge_unfinished(before=50.0, now=1000.0) == 1
    assert await store.conversation_media(conv_id) == []
    assert await store.media_content(media.id) is None
