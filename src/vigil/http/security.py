"""Security headers and rate limits for every answer.

Headers: a Content-Security-Policy with no inline script (the console and the tip page load
their scripts as files; the vendored API docs pages get the hashes of their own inline
scripts), `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff`, a referrer policy,
and HSTS when the request came over TLS. Inline *style attributes* stay allowed: the
console's charts and legends set widths and colours that way, which runs no code.

Rate limits: a fixed window of a minute per source address and bucket, for sign-in (on top
of the per-account lockout) and for the public endpoints (tips, volunteers), counted by the
`limits` library in the storage that `VIGIL_RATE_LIMIT_STORAGE` names: in memory (each
process on its own) or in Redis (one count for every server process). Over the limit the
answer is 429 with `Retry-After`. When Redis fails, the process counts on its own and leaves
Redis alone for `VIGIL_RATE_LIMIT_STORAGE_RETRY_S` before it tries again."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from vigil.core.logging import get_logger

log = get_logger("vigil.http.security")

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
    """At most `limit` requests per source and bucket in each window of `window_s`.

    The counts live in a `limits` storage given by URI: "memory://" counts in this process
    only; "redis://host:port/db" shares one count between every server process that names
    the same Redis. Should that storage fail, the count goes on in this process's memory
    (a per-process limit) rather than letting every request through or refusing all, and
    the storage is left alone for `storage_retry_s` (a circuit breaker: no request waits on
    a storage known to be down, and the failure is logged once per period), then tried again.
    """

    def __init__(
        self,
        limits: Mapping[str, int],
        window_s: int = 60,
        storage_uri: str = "memory://",
        storage_retry_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = dict(limits)
        self.window_s = window_s
        self._items = {
            bucket: RateLimitItemPerSecond(limit, window_s)
            for bucket, limit in self.limits.items()
            if limit > 0
        }
        self.storage_uri = storage_uri
        self.storage_retry_s = storage_retry_s
        self._clock = clock
        self._strategy = FixedWindowRateLimiter(_storage(storage_uri))
        self._fallback = FixedWindowRateLimiter(MemoryStorage())
        self._lock = threading.Lock()
        self._storage_down_until: float | None = None  # None: the storage is in use

    def hit(self, bucket: str, source: str) -> float | None:
        """Count one request; None if allowed, else the seconds until the window ends."""
        item = self._items.get(bucket)
        if item is None:
            return None
        down_until = self._storage_down_until
        if down_until is not None and self._clock() < down_until:
            return self._hit(self._fallback, item, bucket, source)
        try:
            wait = self._hit(self._strategy, item, bucket, source)
        except StorageError as exc:
            self._storage_failed(exc)
            return self._hit(self._fallback, item, bucket, source)
        if down_until is not None:
            self._storage_back()
        return wait

    def _storage_failed(self, exc: StorageError) -> None:
        """Open the breaker for one period; only the first failure of a period is logged."""
        with self._lock:
            now = self._clock()
            down_until = self._storage_down_until
            self._storage_down_until = now + self.storage_retry_s
            already_logged = down_until is not None and now < down_until
        if not already_logged:
            log.warning(
                "rate_limit_storage_unavailable",
                storage=_redacted(self.storage_uri),
                error=str(exc),
                retry_in_s=self.storage_retry_s,
            )

    def _storage_back(self) -> None:
        with self._lock:
            was_down = self._storage_down_until is not None
            self._storage_down_until = None
        if was_down:
            log.info("rate_limit_storage_available", storage=_redacted(self.storage_uri))

    @staticmethod
    def _hit(
        strategy: FixedWindowRateLimiter, item: RateLimitItem, bucket: str, source: str
    ) -> float | None:
        if strategy.hit(item, bucket, source):
            return None
        reset_at = strategy.get_window_stats(item, bucket, source).reset_time
        return max(0.0, reset_at - time.time())


def _storage(uri: str) -> Storage:
    """The synchronous `limits` storage for a URI; Redis answers within a second or counts
    as unavailable (the request then falls back to this process's count)."""
    options: dict[str, float | str | bool] = {"wrap_exceptions": True}
    if urlsplit(uri).scheme in {"redis", "rediss", "redis+unix"}:
        options |= {"key_prefix": "vigil-rate", "socket_connect_timeout": 1, "socket_timeout": 1}
    storage = storage_from_string(uri, **options)
    if not isinstance(storage, Storage):
        raise ValueError(f"rate-limit storage {_redacted(uri)!r} must be a synchronous one")
    return storage


def _redacted(uri: str) -> str:
    """The URI without a password, for logs and messages."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


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
