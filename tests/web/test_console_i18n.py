"""Every string of the console comes from the en and zh-CN catalogues: a key used in the
HTML or a script but missing from either catalogue, or a catalogue with keys the other
lacks, fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import vigil

STATIC = Path(vigil.__file__).parent / "web" / "static"
LANGUAGES = ("en", "zh-CN")
USES = (
    re.compile(r"""\bt\(\s*["']([^"'`]+)["']"""),  # t("key") in scripts
    re.compile(r'data-i18n(?:-[a-z-]+)?="([^"]+)"'),  # data-i18n="key" in markup
    re.compile(r"""hint:\s*["']([^"']+)["']"""),  # basis hints, translated later
    re.compile(r"""["'](field\.[a-z_]+)["']"""),  # form field labels, translated later
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalogue(lang: str) -> dict[str, str]:
    data = json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def used_keys() -> set[str]:
    sources = [*sorted(STATIC.glob("*.html")), *sorted((STATIC / "js").glob("*.js"))]
    keys: set[str] = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for pattern in USES:
            keys.update(pattern.findall(text))
    return keys


def test_every_used_key_is_in_both_catalogues() -> None:
    keys = used_keys()
    assert len(keys) > 100  # the scan found the console's strings
    for lang in LANGUAGES:
        missing = sorted(keys - set(catalogue(lang)))
        assert missing == [], f"{lang}.json lacks {missing}"


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    en, zh = catalogue("en"), catalogue("zh-CN")
    assert sorted(set(en) ^ set(zh)) == []
    for key in en:
        assert set(PLACEHOLDER.findall(en[key])) == set(PLACEHOLDER.findall(zh[key])), key
        assert zh[key].strip(), key


def test_chinese_catalogue_is_chinese() -> None:
    zh = catalogue("zh-CN")
    han = sum(1 for text in zh.values() if re.search(r"[\u4e00-\u9fff]", text))
    assert han / len(zh) > 0.9


def _registration_sectors_in_the_console() -> set[str]:
    script = (STATIC / "js" / "alerts.js").read_text(encoding="utf-8")
    found = re.search(r"REGISTRATION_SECTORS = new Set\(\[([^\]]*)\]\)", script)
    assert found, "alerts.js names the sectors whose alerts stand on a registration"
    return set(re.findall(r'"([a-z]+)"', found.group(1)))


def test_every_alert_sector_and_filed_field_has_a_label() -> None:
    """The alert detail labels its sector and each field of the registration behind it
    (a chemical sale's alert showed `sector.chemical` and bare names like `buyer_kind`)."""
    from vigil.flows.video_events import ALERT_SECTOR as VIDEO_SECTOR
    from vigil.intake.sectors import SECTORS

    assert _registration_sectors_in_the_console() == set(SECTORS)
    # besides registrations, alerts come from sensor events (flows/sensor_events.py) and
    # overdue emergency-read reviews (flows/emergency_review.py)
    alert_sectors = {*SECTORS, VIDEO_SECTOR, "infrastructure", "governance"}
    fields = {
        name
        for model in SECTORS.values()
        for name, info in model.model_fields.items()
        if "Identity" not in repr(info.annotation)  # persons are listed apart
    }
    for lang in LANGUAGES:
        labels = catalogue(lang)
        assert sorted(s for s in alert_sectors if f"sector.{s}" not in labels) == [], lang
        assert sorted(f for f in fields if f"field.{f}" not in labels) == [], lang
