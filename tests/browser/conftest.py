"""Browser tests: Playwright for Python driving Debian's Chromium against a live Vigil
server on 127.0.0.1. They never skip: without /usr/bin/chromium they fail and say how to
install it. Every request a page makes is checked: none may leave 127.0.0.1 (the console
and /docs must work on an offline police network). Screenshots are kept under
`test-artifacts/screenshots/`."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn

from tests.conftest import make_settings
from tests.world import World, build_world
from vigil.api.app import create_app
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """All browser tests share one xdist worker (one Chromium, one live server per module)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


@dataclass
class LiveServer:
    url: str
    world: World


@dataclass
class Outside:
    """Requests a page tried to send beyond 127.0.0.1 (each one was refused)."""

    urls: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, test_keys: dict[str, str]
) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{tmp / 'vigil.db'}"
    upgrade(url)
    runtime = Runtime.create(make_settings(url, test_keys, tmp))
    world = build_world(runtime)
    port = _free_port()
    app = create_app(runtime, checkpoint_interval_s=3600, pipeline_in_process=True)
    # open streams (the console's alert feed) are cut a second after the module ends, so the
    # server and its pipeline thread stop instead of waiting for them
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", world)
    server.should_exit = True
    thread.join(10)
    runtime.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per module. Playwright's sync API keeps an event loop running while it
    is open, so it must be closed before the worker runs tests that call asyncio.run()."""
    if not CHROMIUM.exists():
        pytest.fail(
            "Chromium is missing at /usr/bin/chromium: install Debian's chromium package "
            "(.ci/run does) to run the browser tests",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def outside() -> Outside:
    return Outside()


@pytest.fixture
def page(browser: object, outside: Outside, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh page (English unless the test asks for `locale`), offline beyond 127.0.0.1."""
    locale = getattr(request, "param", "en-GB")
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]

    def guard(route: object) -> None:
        target = route.request.url  # type: ignore[attr-defined]
        host = urlsplit(target).hostname or ""
        if target.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.urls.append(target)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", guard)
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
