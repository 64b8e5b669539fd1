"""Security headers and rate limits for every answer.

Headers: a Content-Security-Policy with no inline script (the console and the tip page load
their scripts as files; the vendored API docs pages get the hashes of their own inline
scripts), `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff`, a referrer policy,
and HSTS when the request came over TLS. Inline *style attributes* stay allowed: the
console's charts and legends set widths and colours that way, which runs no code.

Rate limits: a fixed window of a minute per source address and bucket, for sign-in (on top
of the per-account lockout) and for the public endpoints (tips, volunteers). Over the limit
the answer is 429 with `Retry-After`."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections.abc import Mapping

CSP = (
    "default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def content_security_policy(html: str | None = None) -> str:
    """The policy; for a page with inline scripts of its own making (the API docs), each
    of them is allowed by its SHA-256 and nothing else inline is."""
    hashes = ""
    if html:
        for script in _INLINE_SCRIPT.findall(html):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            hashes += f" 'sha256-{digest}'"
    return CSP.format(scripts=hashes)


def security_headers(existing: Mapping[str, str], *, tls: bool) -> dict[str, str]:
    """The headers to add to an answer that does not set them itself."""
    headers = {
        "Content-Security-Policy": content_security_policy(),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if tls:
        headers["Strict-Transport-Security"] = HSTS
    return {k: v for k, v in headers.items() if k.lower() not in existing}


class RateLimiter:
    """At most `limit` requests per source and bucket in each window of `window_s`."""

    def __init__(self, limits: Mapping[str, int], window_s: float = 60.0) -> None:
        self.limits = dict(limits)
        self.window_s = window_s
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], tuple[int, int]] = {}

    def hit(self, bucket: str, source: str, now: float | None = None) -> float | None:
        """Count one request; None if allowed, else the seconds until the window ends."""
        limit = self.limits.get(bucket, 0)
        if limit <= 0:
            return None
        now = time.monotonic() if now is None else now
        window = int(now // self.window_s)
        with self._lock:
            if len(self._counts) > 100_000:  # old windows of many sources: start afresh
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            seen_window, count = self._counts.get((bucket, source), (window, 0))
            if seen_window != window:
                count = 0
            count += 1
            self._counts[bucket, source] = (window, count)
        if count > limit:
            return (window + 1) * self.window_s - now
        return None


SIGN_IN_PATHS = frozenset({"/v1/auth/token", "/v1/auth/refresh"})
PUBLIC_PATHS = frozenset(
    {"/v1/tips", "/v1/tips/status", "/v1/tips/additions", "/v1/tips/form", "/v1/volunteers"}
)


def bucket_of(method: str, path: str) -> str | None:
    if method == "POST" and path in SIGN_IN_PATHS:
        return "sign_in"
    if path in PUBLIC_PATHS and (method == "POST" or path == "/v1/tips/form"):
        return "public"
    return None
