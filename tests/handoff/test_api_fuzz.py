"""Schemathesis against /api/openapi.json on the real server, with and without a session.

Every generated request must get an answer the document allows, never a 5xx; without a
session nothing but 401 (or the public routes) comes back.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.support.server import Server

pytestmark = pytest.mark.slow

PASSWORD = "un-mot-de-passe-solide"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)
SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


async def _schemathesis(server: Server, *args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        SCHEMATHESIS,
        "run",
        f"{server.url}/api/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        "20",
        "--seed",
        "20261128",
        "--phases",
        "examples,coverage,fuzzing",
        "--exclude-path",
        "/events",  # a stream that never ends
        "--request-timeout",
        "10",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=server.env,
        cwd=server.log_path.parent,  # its example database stays in the test's folder
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode(errors="replace")


def _cases(output: str) -> int:
    """How many test cases schemathesis reports having generated."""
    found = re.findall(r"(\d[\d,]*) generated", output)
    return sum(int(n.replace(",", "")) for n in found)


async def test_api_conforms_to_its_document_with_and_without_a_session(tmp_path: Path) -> None:
    server = Server(tmp_path)
    server.command(
        "user", "add", "coord@example.org", "--role", "coordinator", MILOMOUV_PASSWORD=PASSWORD
    )
    async with aiohttp.ClientSession() as session:
        await server.start(session)
        try:
            # Signed in first: the anonymous run's wrong passwords throttle this address.
            login = await session.post(
                f"{server.url}/api/session",
                json={"email": "coord@example.org", "password": PASSWORD},
            )
            assert login.status == 200
            csrf = (await login.json())["csrf_token"]
            cookie = "; ".join(f"{c.key}={c.value}" for c in session.cookie_jar)

            code, anonymous = await _schemathesis(server, "--mode", "all")
            assert code == 0, anonymous[-4000:]

            code, signed_in = await _schemathesis(
                server,
                "--mode",
                "positive",
                "--exclude-path",
                "/session",  # logging out would end the run's own session
                "--exclude-path-regex",
                r"/staff/\{[^}]+\}/disable",  # disabling accounts, own included
                "-H",
                f"Cookie: {cookie}",
                "-H",
                f"X-CSRF-Token: {csrf}",
            )
            assert code == 0, signed_in[-4000:]
        finally:
            assert server.stop() == 0
    print(f"schemathesis cases: anonymous={_cases(anonymous)} signed_in={_cases(signed_in)}")
    # aiohttp itself logs the malformed requests it refuses with 400; none of ours broke.
    for line in server.log_path.read_text().splitlines():
        assert not ("Traceback" in line and ("/bot/" in line or "/handoff/" in line)), line
