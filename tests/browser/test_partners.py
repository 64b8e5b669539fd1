"""The supervisor's partners screen (issue 25): agreements both ways, the TAXII collections
each opens, and the last pull and push with their reports; English, axe-core, offline."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, Outside, screenshot
from tests.browser.test_console import axe_violations, choose_basis, sign_in
from vigil.intel.exchange.models import TaxiiSync


def test_partners_screen_lists_agreements_collections_and_last_pull(
    live_server: LiveServer, page: Any, outside: Outside
) -> None:
    world = live_server.world
    r = world.client.post(
        "/v1/sharing-agreements",
        json={"to_org_id": world.org_ids["B"], "purpose": "river exchange", "max_tlp": "AMBER"},
        headers=world.auth("supervisor"),
    )
    assert r.status_code == 201, r.text
    r = world.client.post(
        "/v1/taxii/collections",
        json={"title": "Riverside shareable clues", "accepts_posts": False},
        headers=world.auth("supervisor"),
    )
    assert r.status_code == 201, r.text
    collection = r.json()["id"]
    # The state a pull leaves (tests/intel/exchange/storage/test_taxii_pull.py makes real ones).
    with world.runtime.unit_of_work() as session:
        session.add(
            TaxiiSync(
                organisation_id=world.org_ids["A"],
                direction="pull",
                server="https://cert.example/taxii2/api/",
                collection="9cfa669c-ee94-4ece-afd2-f8edac37d8fd",
                added_after="2026-02-01T09:00:00.000000Z",
                last_by="user:analyst",
                report={"objects": 5, "imported": 4, "merged": 1, "skipped": 0, "by_type": {}},
            )
        )
    sign_in(page, live_server, "supervisor")
    # the operations screens that follow have their own tests
    assert page.locator("#screen-links a").all_inner_texts()[:3] == [
        "Approvals",
        "Alert queue",
        "Partners",
    ]
    choose_basis(page, "statute:real-name-registration")
    page.click("#screen-links a[data-screen=partners]")
    page.wait_for_selector("#screen-partners[data-loaded]")
    agreements = page.inner_text("#partner-agreements")
    assert "Agency B" in agreements and "TLP:AMBER" in agreements
    assert "We share with them" in agreements and "Riverside shareable clues" in agreements
    assert collection in agreements
    syncs = page.inner_text("#partner-syncs")
    assert "cert.example" in syncs
    assert "5 objects: imported 4, merged 1, skipped 0" in syncs
    screenshot(page, "console-partners")
    assert axe_violations(page) == []
    assert outside.urls == []
