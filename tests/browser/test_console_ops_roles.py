"""Who sees the operations screens: each role only those whose APIs it may use. A business
user and an auditor get neither the nav entries nor the screens (even by address), and
every API behind them answers 403."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, Outside
from tests.world import PASSWORD

OPS = ["response", "warnings", "infra", "patrol", "video"]
EXPECTED = {
    "officer": ["response", "infra", "video"],
    "supervisor": ["response", "warnings", "patrol", "infra", "video"],
    "analyst": ["infra", "patrol", "video"],
    "auditor": [],
    "clerk": [],
}
APIS = [
    ("GET", "/v1/response/incidents"),
    ("GET", "/v1/units"),
    ("POST", "/v1/response/incidents/1/warnings"),
    ("GET", "/v1/infrastructure/assets"),
    ("GET", "/v1/infrastructure/risk"),
    ("GET", "/v1/patrol/plans"),
    ("GET", "/v1/video/cameras"),
    ("GET", "/v1/video/events"),
]
WARNING = {"headline": "x", "urgency": "Immediate", "severity": "Severe", "certainty": "Observed"}


def test_each_role_gets_only_its_operations_screens(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    for user, expected in EXPECTED.items():
        page.goto(f"{live_server.url}/console#response")
        page.wait_for_selector("body[data-ready=true]")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#logout:not([hidden])")
        offered = page.locator("#screen-links a").evaluate_all("a => a.map(x => x.dataset.screen)")
        assert [s for s in offered if s in OPS] == expected, user
        for screen in OPS:
            if screen in expected:
                continue
            page.evaluate(f"location.hash = '#{screen}'")  # by address: still nothing
            assert page.locator(f"#screen-{screen}").is_hidden(), (user, screen)
            assert page.inner_html(f"#screen-{screen}") == "", (user, screen)
        page.click("#logout")
        page.wait_for_selector("#login:not([hidden])")
    assert outside.urls == []


def test_business_and_auditor_get_403_from_every_api_behind_them(live_server: LiveServer) -> None:
    world = live_server.world
    for who in ("clerk", "hotel_key", "auditor"):
        for method, path in APIS:
            body = WARNING if method == "POST" else None
            answer = world.client.request(method, path, json=body, headers=world.auth(who))
            assert answer.status_code == 403, (who, path, answer.status_code)
