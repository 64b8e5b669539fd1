"""/docs and /redoc work with the network cut off: every asset is vendored, Swagger UI
offers Authorize for both the staff token and the business API key, and the intake
request bodies and problem+json answers are shown."""

from __future__ import annotations

from tests.browser.conftest import LiveServer, Outside, screenshot


def test_swagger_ui_renders_offline_with_authorize(
    live_server: LiveServer, page: object, outside: Outside
) -> None:
    page.goto(f"{live_server.url}/docs")  # type: ignore[attr-defined]
    page.wait_for_selector(".opblock-tag", timeout=30_000)  # type: ignore[attr-defined]
    assert page.locator("button.authorize").count() == 1  # type: ignore[attr-defined]
    page.locator("button.authorize").click()  # type: ignore[attr-defined]
    dialog = page.locator(".dialog-ux").inner_text()  # type: ignore[attr-defined]
    assert "staff" in dialog and "OAuth2, password" in dialog and "business" in dialog
    assert "X-API-Key" in dialog
    screenshot(page, "docs-authorize")
    assert outside.urls == []


def test_redoc_renders_offline(live_server: LiveServer, page: object, outside: Outside) -> None:
    page.goto(f"{live_server.url}/redoc")  # type: ignore[attr-defined]
    page.wait_for_selector("h1", timeout=30_000)  # type: ignore[attr-defined]
    text = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert "Vigil" in text and "intake" in text.lower()
    screenshot(page, "redoc")
    assert outside.urls == []
