"""The rate limiter (vigil.http.security.RateLimiter, on the `limits` library): its window
ends, sources and buckets count apart, and limiters that name one Redis (as the server's
processes do with VIGIL_RATE_LIMIT_STORAGE) share one count. Redis runs on 127.0.0.1:6379
(`.ci/run` starts it); VIGIL_TEST_REDIS names another."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from limits.errors import ConfigurationError
from structlog.testing import capture_logs

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


class _Clock:
    """A clock the test moves by hand: the breaker's period passes without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _unused_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def _pipe(source: socket.socket, target: socket.socket) -> None:
    with source, target:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass


@contextmanager
def _forward(port: int, to: tuple[str, int]) -> Iterator[None]:
    """Redis comes up on `port`: each connection there is piped to the real one at `to`."""
    server = socket.create_server(("127.0.0.1", port))
    server.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(to)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        server.close()


def _unavailable(logs: list[dict[str, object]]) -> int:
    return sum(entry["event"] == "rate_limit_storage_unavailable" for entry in logs)


def test_a_down_redis_is_left_alone_and_logged_once_per_period() -> None:
    clock = _Clock()
    limiter = RateLimiter(
        {"public": 100}, storage_uri=CLOSED_PORT_URL, storage_retry_s=30, clock=clock
    )
    source = _source()
    with capture_logs() as logs:
        assert [limiter.hit("public", source) for _ in range(5)] == [None] * 5
        assert _unavailable(logs) == 1
        clock.now += 29
        limiter.hit("public", source)
        assert _unavailable(logs) == 1
        clock.now += 2  # the period is over: Redis is tried again, still down
        limiter.hit("public", source)
        limiter.hit("public", source)
        assert _unavailable(logs) == 2


def test_the_breaker_skips_redis_for_its_period_then_goes_back_to_it() -> None:
    redis = urlsplit(REDIS_URL)
    port = _unused_port()
    clock = _Clock()
    limiter = RateLimiter(
        {"public": 3},
        storage_uri=f"redis://127.0.0.1:{port}{redis.path}",
        storage_retry_s=30,
        clock=clock,
    )
    on_redis = RateLimiter({"public": 3}, storage_uri=REDIS_URL)
    source = _source()
    assert limiter.hit("public", source) is None  # Redis down: counted in this process
    with _forward(port, (redis.hostname or "127.0.0.1", redis.port or 6379)):
        assert limiter.hit("public", source) is None  # Redis is up, but the breaker is open
        # so Redis has counted none of them: a limiter on it still has its three
        assert [on_redis.hit("public", source) for _ in range(3)] == [None] * 3
        clock.now += 31
        with capture_logs() as logs:
            # back on Redis, whose count is full (this process alone has counted two of 3)
            assert limiter.hit("public", source) is not None
        assert [entry["event"] for entry in logs] == ["rate_limit_storage_available"]


def test_an_unknown_storage_is_refused_at_start() -> None:
    with pytest.raises(ConfigurationError, match="unknown storage scheme"):
        RateLimiter({"public": 2}, storage_uri="carrier-pigeon://loft")
