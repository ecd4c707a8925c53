"""Abuse resistance of the portal, all offline: challenges, rate limits, request size limits.

* **Challenge** — every form carries a signed challenge (:class:`Challenges`): a token
  ``<issued>.<nonce>.<bits>.<hmac>``. The browser solves a proof of work (find ``counter`` so
  that SHA-256 of ``token:counter`` starts with ``bits`` zero bits; ``static/portal/pow.js``
  does it with WebCrypto while the reporter types); without JavaScript the reporter answers a
  small arithmetic question derived from the token's HMAC instead. A token is valid for
  :data:`CHALLENGE_TTL` and only once. No third party is involved.
* **Rate limits** — :class:`RateLimiter`: a sliding window per key (client address, tracking
  code), in memory per process. The portal counts submissions and look-ups per address and
  look-ups and additions per tracking code.
* **Size limits** — :class:`BodyLimit`: pure ASGI middleware refusing bodies over the limit
  (413) from the declared length, or — for a body sent without one — after reading at most the
  limit, before the form parser sees it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CHALLENGE_TTL: Final = 2 * 3600
"""Seconds a challenge stays valid."""
NUMERALS: Final = "零一二三四五六七八九十"


def leading_zero_bits(digest: bytes) -> int:
    r"""Number of leading zero bits of a digest.

    Examples:
        >>> leading_zero_bits(bytes([0, 0, 0b00010000])), leading_zero_bits(b"\xff")
        (19, 0)
    """
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(token: str, bits: int) -> int:
    """The first counter solving a challenge (what the browser does; tests and benchmarks)."""
    counter = 0
    while leading_zero_bits(hashlib.sha256(f"{token}:{counter}".encode()).digest()) < bits:
        counter += 1
    return counter


@dataclass(frozen=True, slots=True)
class Question:
    """The no-JavaScript fallback: ``a + b`` written in Chinese numerals and in digits."""

    a: int
    b: int

    @property
    def answer(self) -> int:
        """What the reporter types."""
        return self.a + self.b

    def zh(self) -> str:
        """The question in Chinese (三加四等于几？)."""
        return f"{NUMERALS[self.a]}加{NUMERALS[self.b]}等于几？"

    def en(self) -> str:
        """The question in English."""
        return f"What is {self.a} plus {self.b}?"


class Challenges:
    """Signed, single-use challenges (proof of work, or a question without JavaScript)."""

    def __init__(self, key: bytes, bits: int) -> None:
        self._key = key
        self.bits = bits
        self._used: dict[str, float] = {}
        self._lock = threading.Lock()

    def _sign(self, body: str) -> str:
        return hmac.new(
            self._key, b"portal-challenge:" + body.encode(), hashlib.sha256
        ).hexdigest()[:32]

    def issue(self, now: float | None = None) -> str:
        """A fresh challenge token."""
        body = f"{int(now or time.time())}.{secrets.token_hex(8)}.{self.bits}"
        return f"{body}.{self._sign(body)}"

    def question(self, token: str) -> Question:
        """The question of a token (the same token always asks the same question)."""
        seed = hashlib.sha256(b"q:" + self._key + token.encode()).digest()
        return Question(1 + seed[0] % 9, 1 + seed[1] % 9)

    def verify(
        self, token: str, counter: str | None, answer: str | None, now: float | None = None
    ) -> str | None:
        """Why the challenge fails (``None``: it passes, and the token is used up)."""
        parts = token.split(".")
        if len(parts) != 4:
            return "invalid challenge"
        issued, _nonce, bits, signature = parts
        body = ".".join(parts[:3])
        if not hmac.compare_digest(self._sign(body), signature) or not issued.isdigit():
            return "invalid challenge"
        moment = now or time.time()
        if moment - int(issued) > CHALLENGE_TTL:
            return "challenge expired"
        solved = False
        if counter and counter.isdigit() and len(counter) < 16:
            digest = hashlib.sha256(f"{token}:{counter}".encode()).digest()
            solved = leading_zero_bits(digest) >= int(bits)
        if not solved and answer is not None and answer.strip().isdigit():
            solved = int(answer.strip()) == self.question(token).answer
        if not solved:
            return "challenge not solved"
        with self._lock:
            for old in [t for t, at in self._used.items() if moment - at > CHALLENGE_TTL]:
                del self._used[old]
            if token in self._used:
                return "challenge already used"
            self._used[token] = moment
        return None


class RateLimiter:
    """Sliding-window counters: at most ``limit`` events per ``window`` seconds per key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> float | None:
        """Count one event; ``None`` if allowed, else the seconds until the next is allowed."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and moment - events[0] >= self.window:
                events.popleft()
            if len(events) >= self.limit:
                return self.window - (moment - events[0])
            events.append(moment)
            if len(self._events) > 100_000:
                self._prune(moment)
            return None

    def _prune(self, moment: float) -> None:
        for key in [k for k, v in self._events.items() if not v or moment - v[-1] >= self.window]:
            del self._events[key]


class BodyLimit:
    """Pure ASGI middleware: refuse request bodies over ``max_bytes`` with 413."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the declared length; a body without one is read (up to the limit) first."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_bytes:
                await _too_large(send)
                return
            await self.app(scope, receive, send)
            return
        buffered: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await _too_large(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send) -> None:
    body = b"request too large"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


__all__ = [
    "CHALLENGE_TTL",
    "BodyLimit",
    "Challenges",
    "Question",
    "RateLimiter",
    "leading_zero_bits",
    "solve",
]
