"""The demo step, after the units and infrastructure steps it builds on: the pumping
station's intrusion becomes one alert and one incident with a unit dispatched, and a signed,
schema-valid CAP warning with its Atom feed lands in the output folder."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from vigil.demo import infrastructure_demo, response_demo, units_demo
from vigil.demo.scenario import seed_city
from vigil.response import cap

pytestmark = pytest.mark.storage


def test_demo_step_writes_a_valid_signed_warning_and_feed(runtime, tmp_path: Path) -> None:
    city = seed_city(runtime)
    units_demo.run(runtime, city, out_dir=tmp_path / "units")
    infrastructure_demo.run(runtime, city, out_dir=tmp_path / "infrastructure")
    lines = response_demo.run(runtime, city, out_dir=tmp_path)
    assert "added 0 events, 0 alerts, 0 incidents" in lines[0]
    assert "dispatched" in lines[1]
    (xml_path,) = tmp_path.glob("vigil-*.xml")
    xml = xml_path.read_bytes()
    assert cap.schema_errors(xml) == []
    cap.verify(xml, (tmp_path / "signing-cert.pem").read_bytes())
    assert b"Resident Wang" not in xml and b"139 0000" not in xml
    feed = feedparser.parse((tmp_path / "feed.atom").read_bytes())
    assert not feed.bozo
    assert [e.id for e in feed.entries] == [f"urn:cap:{xml_path.stem}"]
