"""Staff accounts and who is calling: argon2 passwords, server-side sessions, CSRF, throttling.

A session is a random 256-bit cookie value (HttpOnly, SameSite=Strict, Secure on https); the
store only keeps its SHA-256, with a CSRF token every state-changing request sends back in
`X-CSRF-Token`. Logins fail with the same delay whether or not the e-mail exists.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.store.base import ROLES, DuplicateEmail, NewStaff, Role, Session, Staff, Store
from handoff.errors import Forbidden, Invalid, NotLoggedIn, Refused, Throttled
from handoff.views import trim

log = structlog.get_logger(__name__)

HASHER = PasswordHasher()  # argon2id defaults; each hash records its own cost parameters
SESSION_COOKIE = "milomouv_session"
CSRF_HEADER = "X-CSRF-Token"
SESSION_IDLE_SECONDS = 12 * 3600
SESSION_MAX_SECONDS = 7 * 24 * 3600
SESSION_TOUCH_SECONDS = 60
THROTTLE_WINDOW_SECONDS = 15 * 60
THROTTLE_MAX_FAILURES = 5
SETUP_TOKEN_SECONDS = 24 * 3600
PASSWORD_MIN, PASSWORD_MAX = 10, 1024
EMAIL_MAX, NAME_MAX, TERRITORY_MAX = 254, 80, 120
# Plain ASCII classes: read the same by Python, JavaScript and Rust regex engines.
EMAIL_PATTERN = r"^[^@\x00-\x20\x7f]{1,64}@[^@\x00-\x20\x7f.]+(\.[^@\x00-\x20\x7f.]+)+$"
_EMAIL = re.compile(EMAIL_PATTERN)
_COOKIE_VALUE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two tokens."""
    return secrets.compare_digest(a.encode(), b.encode())


def clean_email(email: str) -> str:
    """Lower-cased; refused unless it looks like an address (the OpenAPI pattern, exactly)."""
    email = email.lower()
    if len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email):
        raise Invalid("api.error_email_invalid")
    return email


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise Invalid("api.error_password_short", min=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        raise Invalid("api.error_password_long", max=PASSWORD_MAX)


def default_display_name(email: str) -> str:
    """'marie.dupont@…' → 'Marie Dupont'."""
    local = email.partition("@")[0]
    words = [w for w in re.split(r"[._+-]+", local) if w]
    return " ".join(w.capitalize() for w in words)[:NAME_MAX] or email[:NAME_MAX]


@dataclass(frozen=True, slots=True)
class Login:
    staff: Staff
    session_id: str  # the cookie value; never stored
    csrf_token: str


class Auth:
    """Accounts, logins and the per-request identity check used by every API route."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], float],
        *,
        secure_cookies: bool = False,
        hasher: PasswordHasher | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.secure_cookies = secure_cookies
        self._hasher = hasher
        self._dummy_hash: str | None = None

    @property
    def hasher(self) -> PasswordHasher:
        return self._hasher or HASHER

    # --- accounts ------------------------------------------------------------
    async def new_staff(
        self,
        email: str,
        password: str,
        role: str,
        territory: str | None = None,
        display_name: str | None = None,
    ) -> NewStaff:
        """Validate an account's fields and hash its password (in a thread: argon2 is slow)."""
        email = clean_email(email)
        check_password(password)
        if role not in ROLES:
            raise Invalid("api.error_role")
        territory = trim(territory or "")[:TERRITORY_MAX] or None
        name = trim(display_name or "")[:NAME_MAX] or default_display_name(email)
        hashed = await asyncio.to_thread(self.hasher.hash, password)
        return NewStaff(email, name, _role(role), territory, hashed)

    async def create_account(
        self, email: str, password: str, role: str, **extra: str | None
    ) -> Staff:
        new = await self.new_staff(email, password, role, **extra)
        try:
            return await self.store.create_staff(new, self.clock())
        except DuplicateEmail:
            raise Refused("api.error_email_taken") from None

    async def setup_link(self, public_url: str) -> str | None:
        """On a first start (no account), a one-time link to create the first coordinator."""
        if await self.store.count_staff() > 0:
            return None
        token = secrets.token_urlsafe(32)
        now = self.clock()
        await self.store.replace_setup_token(digest(token), now, now + SETUP_TOKEN_SECONDS)
        return f"{public_url.rstrip('/')}/handoff/setup?token={token}"

    async def redeem_setup(self, token: str, email: str, password: str) -> Staff:
        """Create the first coordinator with a first-start token; the token works once."""
        token_hash = digest(token)
        if not await self.store.setup_token_valid(token_hash, self.clock()):
            raise Forbidden("api.error_setup_token")
        new = await self.new_staff(email, password, "coordinator")
        staff = await self.store.redeem_setup_token(token_hash, new, self.clock())
        if staff is None:
            raise Forbidden("api.error_setup_token")
        return staff

    # --- logging in and out --------------------------------------------------
    async def login(self, email: str, password: str, ip: str) -> Login:
        now = self.clock()
        email = email.strip().lower()[:EMAIL_MAX]
        keys = [f"email:{digest(email)}", f"ip:{ip}"]
        failures = await self.store.recent_failures(keys, now - THROTTLE_WINDOW_SECONDS)
        blocked = [times for times in failures.values() if len(times) >= THROTTLE_MAX_FAILURES]
        if blocked:
            until = max(times[-THROTTLE_MAX_FAILURES] for times in blocked)
            raise Throttled(max(1, int(until + THROTTLE_WINDOW_SECONDS - now) + 1))
        found = await self.store.find_login(email)
        ok = await self._verify(found[1] if found else None, password[:PASSWORD_MAX])
        if found is None or not ok or not found[0].active:
            await self.store.record_failure(keys, now)
            log.info("login_failed")
            raise NotLoggedIn("api.error_bad_credentials")
        staff, hashed = found
        await self.store.clear_failures(keys[0])
        if self.hasher.check_needs_rehash(hashed):
            new_hash = await asyncio.to_thread(self.hasher.hash, password)
            await self.store.set_password_hash(staff.id, new_hash)
        return await self.open_session(staff)

    async def open_session(self, staff: Staff) -> Login:
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock()
        await self.store.create_session(Session(digest(session_id), staff.id, csrf, now, now))
        log.info("login", staff=staff.id)
        return Login(staff, session_id, csrf)

    async def logout(self, request: web.Request) -> None:
        session_id = request.cookies.get(SESSION_COOKIE, "")
        if _COOKIE_VALUE.match(session_id):
            await self.store.delete_session(digest(session_id))

    async def _verify(self, hashed: str | None, password: str) -> bool:
        if hashed is None:  # same work for an unknown e-mail: no account enumeration by timing
            if self._dummy_hash is None:
                self._dummy_hash = await asyncio.to_thread(self.hasher.hash, secrets.token_hex(8))
            hashed = self._dummy_hash
        try:
            return await asyncio.to_thread(self.hasher.verify, hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    # --- who is calling ------------------------------------------------------
    async def identify(
        self, request: web.Request, *, touch: bool = True
    ) -> tuple[Staff, Session] | None:
        """The active staff member behind the request's session cookie, if any.

        `touch=False` checks without counting as activity (a dashboard's open event stream
        must not keep an unattended session alive past its idle expiry).
        """
        session_id = request.cookies.get(SESSION_COOKIE, "")
        if not _COOKIE_VALUE.match(session_id):
            return None
        id_hash = digest(session_id)
        session = await self.store.get_session(id_hash)
        if session is None or not same(session.id_hash, id_hash):
            return None
        now = self.clock()
        if (
            now - session.last_seen_at > SESSION_IDLE_SECONDS
            or now - session.created_at > SESSION_MAX_SECONDS
        ):
            await self.store.delete_session(id_hash)
            return None
        staff = await self.store.get_staff(session.staff_id)
        if staff is None or not staff.active:
            return None
        if touch and now - session.last_seen_at > SESSION_TOUCH_SECONDS:
            await self.store.touch_session(id_hash, now)
        return staff, session

    async def require(
        self, request: web.Request, *, role: Role | None = None, csrf: bool = False
    ) -> Staff:
        """The caller, or NotLoggedIn (401) / Forbidden (403: bad CSRF token, wrong role)."""
        found = await self.identify(request)
        if found is None:
            raise NotLoggedIn()
        staff, session = found
        if csrf and not same(request.headers.get(CSRF_HEADER, ""), session.csrf_token):
            raise Forbidden("api.error_csrf")
        if role == "coordinator" and not staff.is_coordinator:
            raise Forbidden("api.error_forbidden_role")
        return staff

    async def csrf_token(self, request: web.Request) -> str | None:
        found = await self.identify(request)
        return found[1].csrf_token if found else None

    def set_cookie(self, response: web.StreamResponse, session_id: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            session_id,
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookies,
            path="/",
            max_age=SESSION_MAX_SECONDS,
        )

    def clear_cookie(self, response: web.StreamResponse) -> None:
        response.del_cookie(
            SESSION_COOKIE, path="/", secure=self.secure_cookies, httponly=True, samesite="Strict"
        )


def _role(value: str) -> Role:
    return "coordinator" if value == "coordinator" else "counsellor"
