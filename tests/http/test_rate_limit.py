"""The rate limiter (vigil.http.security.RateLimiter, on the `limits` library): its window
ends, sources and buckets count apart, and limiters that name one Redis (as the server's
processes do with VIGIL_RATE_LIMIT_STORAGE) share one count. Redis runs on 127.0.0.1:6379
(`.ci/run` starts it); VIGIL_TEST_REDIS names another."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from limits.errors import ConfigurationError

from vigil.http.security import RateLimiter

REDIS_URL = os.environ.get("VIGIL_TEST_REDIS", "redis://127.0.0.1:6379/0")
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"  # nothing listens there


def _source() -> str:
    """A source address no other test run (another worker, another checkout) counts."""
    return f"test-{uuid.uuid4().hex}"


@pytest.mark.parametrize("storage", ["memory://", REDIS_URL])
def test_the_window_ends(storage: str) -> None:
    limiter = RateLimiter({"b": 2}, window_s=1, storage_uri=storage)
    source = _source()
    assert limiter.hit("b", source) is None and limiter.hit("b", source) is None
    wait = limiter.hit("b", source)
    assert wait is not None and 0 <= wait <= 1
    assert limiter.hit("b", _source()) is None  # another source
    assert limiter.hit("other", source) is None  # a bucket with no limit
    deadline = time.monotonic() + 10  # the window is 1 s; ten leaves room for a loaded machine
    while limiter.hit("b", source) is not None:
        assert time.monotonic() < deadline, "the window never ended"
        time.sleep(0.1)


def test_limiters_on_one_redis_share_one_count() -> None:
    first, second = (RateLimiter({"sign_in": 3}, storage_uri=REDIS_URL) for _ in range(2))
    source = _source()
    assert [first.hit("sign_in", source), second.hit("sign_in", source)] == [None, None]
    assert first.hit("sign_in", source) is None
    wait = second.hit("sign_in", source)  # the fourth request, the second one here
    assert wait is not None and 0 < wait <= 60
    assert first.hit("sign_in", source) is not None


def test_limiters_in_memory_count_apart() -> None:
    """The contrast: each process's memory has its own count."""
    first, second = (RateLimiter({"sign_in": 2}) for _ in range(2))
    source = _source()
    assert [first.hit("sign_in", source) for _ in range(2)] == [None, None]
    assert [second.hit("sign_in", source) for _ in range(2)] == [None, None]
    assert first.hit("sign_in", source) is not None


def test_an_unreachable_redis_falls_back_to_the_process_count() -> None:
    limiter = RateLimiter({"public": 2}, storage_uri=CLOSED_PORT_URL)
    source = _source()
    assert [limiter.hit("public", source) for _ in range(2)] == [None, None]
    assert limiter.hit("public", source) is not None


def test_an_unknown_storage_is_refused_at_start() -> None:
    with pytest.raises(ConfigurationError, match="unknown storage scheme"):
        RateLimiter({"public": 2}, storage_uri="carrier-pigeon://loft")
