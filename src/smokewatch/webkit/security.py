"""Browser-facing protections shared by the dashboard and the portal.

* :class:`SecurityHeaders` — pure ASGI middleware: a strict Content-Security-Policy (scripts,
  styles, images and connections only from the same origin; no inline script, no framing),
  ``nosniff``, no referrer, and ``no-store`` on HTML so a shared office PC does not keep pages.
* :func:`csrf_token` / :func:`csrf_valid` — tokens bound to a session (or a per-visitor cookie)
  with HMAC, for forms (hidden field) and htmx requests (``X-CSRF-Token`` header).

Note for templates: htmx must not inject its indicator ``<style>`` (the CSP forbids inline
styles); pages set ``<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>``
and style ``.htmx-indicator`` in their CSS. ECharts sets styles through the CSSOM, which the
policy allows.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

_HEADERS: Final[tuple[tuple[bytes, bytes], ...]] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, csp: str = CSP) -> None:
        self.app = app
        self.headers = tuple(
            (name, csp.encode() if name == b"content-security-policy" else value)
            for name, value in _HEADERS
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the missing headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in self.headers if h[0] not in present)
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html") and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


def new_secret() -> bytes:
    """A fresh random key (per process when the workspace keeps none)."""
    return secrets.token_bytes(32)


def csrf_token(secret: bytes, binding: str) -> str:
    """The CSRF token of a session or visitor id (``binding``): HMAC-SHA256, hex."""
    return hmac.new(secret, b"csrf:" + binding.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, binding: str, token: str | None) -> bool:
    """Whether ``token`` is the CSRF token of ``binding`` (constant-time comparison)."""
    if not token or not binding:
        return False
    return hmac.compare_digest(csrf_token(secret, binding), token)


__all__ = ["CSP", "SecurityHeaders", "csrf_token", "csrf_valid", "new_secret"]
