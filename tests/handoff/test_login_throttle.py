"""Login throttling: reserved before the password check, delays per (e-mail, address)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from handoff.auth import check_password, common_passwords
from handoff.errors import Invalid
from handoff.throttle import MAX_DELAY_SECONDS, delay
from tests.support.staff import PASSWORD, add_staff, fast_hashing

__all__ = ["fast_hashing"]

START = 1_796_029_200.0
WRONG = "wrong-password-" * 2


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(aiohttp_client: Any, make_settings: Any, clock: Clock) -> TestClient:
    # Behind a proxy on loopback, so each test chooses the client address it plays.
    settings = make_settings(trusted_proxies="127.0.0.1/32")
    return await aiohttp_client(create_app(settings, clock=clock))


async def _login(client: TestClient, email: str, password: str, address: str) -> Any:
    return await client.post(
        "/api/session",
        json={"email": email, "password": password},
        headers={"X-Forwarded-For": address},
    )


def test_delays_grow_then_cap() -> None:
    assert [delay(n, 3) for n in range(6)] == [0, 0, 0, 1, 2, 4]
    assert delay(100, 3) == MAX_DELAY_SECONDS


@pytest.mark.usefixtures("fast_hashing")
async def test_failures_grow_a_delay_and_the_wait_told_is_the_wait_that_holds(
    client: TestClient, clock: Clock
) -> None:
    await add_staff(client, "a@ml55.fr")
    for _ in range(3):
        assert (await _login(client, "a@ml55.fr", WRONG, "203.0.113.5")).status == 401
    refused = await _login(client, "a@ml55.fr", PASSWORD, "203.0.113.5")
    assert refused.status == 429
    wait = int(refused.headers["Retry-After"])
    assert wait == 2  # the refused attempt counted too: 4 failures → 2 s
    clock.now += wait
    assert (await _login(client, "a@ml55.fr", PASSWORD, "203.0.113.5")).status == 200


@pytest.mark.usefixtures("fast_hashing")
async def test_a_guesser_elsewhere_never_locks_the_counsellor_out(
    client: TestClient, clock: Clock
) -> None:
    await add_staff(client, "a@ml55.fr")
    statuses = []
    for _ in range(12):
        statuses.append((await _login(client, "a@ml55.fr", WRONG, "198.51.100.7")).status)
        clock.now += 1
    assert statuses[:3] == [401] * 3 and 429 in statuses
    ok = await _login(client, "a@ml55.fr", PASSWORD, "203.0.113.5")
    assert ok.status == 200


@pytest.mark.usefixtures("fast_hashing")
async def test_sixty_parallel_guesses_check_at_most_three_passwords(client: TestClient) -> None:
    await add_staff(client, "a@ml55.fr")
    responses = await asyncio.gather(
        *(_login(client, "a@ml55.fr", WRONG, "198.51.100.7") for _ in range(60))
    )
    statuses = [r.status for r in responses]
    assert statuses.count(401) <= 3 and statuses.count(429) >= 57, statuses


@pytest.mark.usefixtures("fast_hashing")
async def test_spraying_many_emails_from_one_address_is_slowed(client: TestClient) -> None:
    await add_staff(client, "real@ml55.fr")
    for i in range(20):
        assert (await _login(client, f"guess{i}@ml55.fr", WRONG, "198.51.100.7")).status == 401
    assert (await _login(client, "real@ml55.fr", PASSWORD, "198.51.100.7")).status == 429
    assert (await _login(client, "real@ml55.fr", PASSWORD, "203.0.113.5")).status == 200


@pytest.mark.parametrize("password", ["1234567890", "QWERTYUIOP", "1q2w3e4r5t"])
def test_a_common_password_is_refused(password: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_password(password)
    assert refused.value.key == "api.error_password_common"


def test_a_personal_password_passes_and_the_list_is_a_few_thousand_long() -> None:
    check_password("lina-aime-les-pommes-55")
    assert 1000 <= len(common_passwords()) <= 20000
