"""Behind a reverse proxy, and the headers of every page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.metrics import parse_networks
from bot.proxy import client_address
from tests.support.resources import of as resources_of
from tests.support.staff import PASSWORD, add_staff, fast_hashing

__all__ = ["fast_hashing"]

PROXY = parse_networks("127.0.0.1/32,10.0.0.0/8")


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("127.0.0.1", ["203.0.113.9"], "203.0.113.9"),
        ("127.0.0.1", ["198.51.100.1, 203.0.113.9"], "203.0.113.9"),  # the left one is forged
        ("127.0.0.1", ["203.0.113.9, 10.1.2.3"], "203.0.113.9"),  # through two of our proxies
        ("198.51.100.1", ["127.0.0.1"], "198.51.100.1"),  # not a proxy: the header is ignored
        ("127.0.0.1", ["not-an-address"], "127.0.0.1"),
        ("127.0.0.1", [], "127.0.0.1"),
    ],
)
def test_client_address_believes_only_our_proxies(
    peer: str, header: list[str], expected: str
) -> None:
    assert client_address(peer, header, PROXY) == expected


@pytest.fixture
def start(aiohttp_client: Any, make_settings: Any, tmp_path: Path) -> Any:
    count = 0

    async def started(**settings: Any) -> TestClient:
        nonlocal count
        count += 1  # each service its own data folder: a second one on a folder is refused
        settings.setdefault("data_dir", tmp_path / f"data{count}")
        return await aiohttp_client(create_app(make_settings(**settings)))

    return started


async def test_metrics_stay_private_behind_the_proxy(start: Any) -> None:
    client = await start(trusted_proxies="127.0.0.1/32")
    assert (await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})).status == 403
    assert (await client.get("/metrics")).status == 200  # the proxy host itself
    untrusted = await start(trusted_proxies="10.0.0.0/8")  # loopback is not a proxy here
    spoofed = await untrusted.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert spoofed.status == 200  # the header of a non-proxy is not read at all


@pytest.mark.usefixtures("fast_hashing")
async def test_the_no_javascript_login_form_works_behind_https(start: Any) -> None:
    client = await start(public_url="https://bot.example", trusted_proxies="127.0.0.1/32")
    await add_staff(client, "a@ml55.fr")
    form = {"email": "a@ml55.fr", "password": PASSWORD, "next": "/handoff/"}
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    ok = await client.post(
        "/handoff/login",
        data=form,
        headers={**proxied, "Origin": "https://bot.example", "Host": "bot.example"},
        allow_redirects=False,
    )
    assert ok.status == 303 and "milomouv_session" in ok.headers["Set-Cookie"]
    assert ok.headers["Strict-Transport-Security"].startswith("max-age=")
    foreign = await client.post(
        "/handoff/login",
        data=form,
        headers={**proxied, "Origin": "https://evil.example"},
        allow_redirects=False,
    )
    assert foreign.status == 403


@pytest.mark.usefixtures("fast_hashing")
async def test_api_login_wants_json_from_our_own_pages(start: Any) -> None:
    client = await start()
    await add_staff(client, "a@ml55.fr")
    runtime = resources_of(client.app)
    body = json.dumps({"email": "a@ml55.fr", "password": PASSWORD})
    plain = await client.post("/api/session", data=body, headers={"Content-Type": "text/plain"})
    assert plain.status == 415
    assert (await plain.json())["error"] == runtime.texts("api.error_json_required")
    json_headers = {"Content-Type": "application/json"}
    for hostile in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = await client.post("/api/session", data=body, headers={**json_headers, **hostile})
        assert refused.status == 403
        assert (await refused.json())["error"] == runtime.texts("api.error_origin")
    own = f"http://{client.host}:{client.port}"
    ok = await client.post(
        "/api/session",
        data=body,
        headers={**json_headers, "Origin": own, "Sec-Fetch-Site": "same-origin"},
    )
    assert ok.status == 200


async def test_every_page_has_a_policy_and_a_framing_rule(start: Any) -> None:
    client = await start(embed_origins="https://partenaire.example")
    for path in ("/confidentialite", "/handoff/login", "/healthz", "/nowhere"):
        resp = await client.get(path)
        csp = resp.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp, path
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp, path
        assert resp.headers["X-Frame-Options"] == "DENY", path
        assert resp.headers["Server"] == "MiloMouv", path  # no product, no version
        assert "Strict-Transport-Security" not in resp.headers  # plain http: not promised
    chat = await client.get("/")
    csp = chat.headers["Content-Security-Policy"]
    assert f"connect-src 'self' ws://{client.host}:{client.port};" in csp
    assert " ws: " not in csp and "wss:" not in csp  # no socket to any other host
    assert "frame-ancestors 'self' https://partenaire.example" in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "X-Frame-Options" not in chat.headers  # frame-ancestors decides for the chat


async def test_https_service_sends_hsts(start: Any) -> None:
    client = await start(public_url="https://bot.example")
    resp = await client.get("/confidentialite")
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


async def test_widget_script_carries_the_catalogue_words(start: Any) -> None:
    client = await start()
    resp = await client.get("/widget.js")
    assert resp.status == 200 and resp.content_type == "application/javascript"
    script = await resp.text()
    assert "__TEXTS__" not in script
    assert resources_of(client.app).texts("bubble.open") in script


@pytest.mark.parametrize("bad", ["ftp://x.example", "https://x.example/path", "x.example"])
def test_bad_embed_origin_stops_the_start(make_settings: Any, bad: str) -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="MILOMOUV_EMBED_ORIGINS"):
        make_settings(MILOMOUV_EMBED_ORIGINS=bad)


def test_bad_trusted_proxy_stops_the_start(make_settings: Any) -> None:
    from bot.errors import ConfigError

    with pytest.raises(ConfigError, match="MILOMOUV_TRUSTED_PROXIES"):
        make_settings(MILOMOUV_TRUSTED_PROXIES="nginx")
