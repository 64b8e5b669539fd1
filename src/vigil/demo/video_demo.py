"""Demo step: the demo city's cameras (public areas, the urban-rural fringe, a rural pumping
station), their coverage of the city's roads, key places and incident hot cells by area
class, the gap report with proposed camera sites, and a Frigate-style intrusion at the
pumping station's perimeter that becomes one video event and one alert (delivered twice,
stored once). For the console: the first forecourt camera's zones, lines and rules (the
worker's configuration, editable), events to review with their blurred snapshots, and the
last four hours of 15-minute zone counts. Places and times only; nobody is identified."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import h3

from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.demo.incidents import DEMO_CENTRE, DEMO_PLACES, generate_incident_arrays
from vigil.flows.video_events import ListenTally, frigate_message_handler, ingest_video_events
from vigil.governance import service as governance
from vigil.governance.access import AccessContext
from vigil.video import service
from vigil.video.coverage import LocalFrame
from vigil.video.schemas import AnalyticsConfigIn, CameraIn, RuleIn, VideoEventIn

HOT_CELL_RESOLUTION = 10  # cells of about 15,000 m², a camera's reach
HOT_CELLS = 25
FRAME = LocalFrame(*DEMO_CENTRE)


def _lonlat(x: float, y: float) -> list[float]:
    lat, lon = FRAME.latlon(x, y)
    return [round(lon, 7), round(lat, 7)]


def _feature(kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": {"kind": kind, **props}}


def _box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    ring = [_lonlat(x0, y0), _lonlat(x1, y0), _lonlat(x1, y1), _lonlat(x0, y1), _lonlat(x0, y0)]
    return {"type": "Polygon", "coordinates": [ring]}


def city_geojson(seed: int = 2026) -> dict[str, Any]:
    """The demo city in GeoJSON: a street grid (every 500 m, plus the streets past each key
    place), two blocks of buildings by the station, area classes (a public-area core, the
    fringe, rural land), the key places and the 25 hottest incident cells."""
    features = []
    for offset in range(-4000, 7001, 500):  # north-south streets
        line = {
            "type": "LineString",
            "coordinates": [_lonlat(offset, -4000), _lonlat(offset, 5000)],
        }
        features.append(_feature("road", line))
    for offset in range(-4000, 5001, 500):  # east-west streets
        line = {
            "type": "LineString",
            "coordinates": [_lonlat(-4000, offset), _lonlat(7000, offset)],
        }
        features.append(_feature("road", line))
    for place in DEMO_PLACES:
        x, y = FRAME.xy(place.lat, place.lon)
        line = {"type": "LineString", "coordinates": [_lonlat(x - 400, y), _lonlat(x + 400, y)]}
        features.append(_feature("road", line))
        features.append(
            _feature(
                "place",
                {"type": "Point", "coordinates": _lonlat(x, y)},
                name=place.name,
                weight=place.weight,
            )
        )
    rural = {"type": "LineString", "coordinates": [_lonlat(-4000, -5000), _lonlat(-9000, -5000)]}
    features.append(_feature("road", rural))  # past the pumping station
    sx, sy = FRAME.xy(DEMO_PLACES[0].lat, DEMO_PLACES[0].lon)
    features.append(_feature("building", _box(sx + 15, sy + 10, sx + 45, sy + 40)))
    features.append(_feature("building", _box(sx - 45, sy + 10, sx - 20, sy + 30)))
    features.append(_feature("area", _box(-2500, -2500, 4500, 4000), area_class="public_area"))
    features.append(
        _feature("area", _box(-4000, -4000, 7000, 5000), area_class="urban_rural_fringe")
    )
    features.append(_feature("area", _box(-9000, -9000, 12000, 12000), area_class="rural"))
    arrays = generate_incident_arrays(3000, seed=seed, days=365)
    counts = Counter(
        h3.latlng_to_cell(float(lat), float(lon), HOT_CELL_RESOLUTION)
        for lat, lon in zip(arrays.lat, arrays.lon, strict=True)
    )
    for cell, count in counts.most_common(HOT_CELLS):
        props = {"kind": "hot_cell", "h3": cell, "weight": count}
        features.append({"type": "Feature", "geometry": None, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def demo_cameras(business_id: int | None) -> list[CameraIn]:
    """A camera 40 m south of each of the first four key places, looking north; one of them
    a business's under an agreement; two at the fringe; one at a rural pumping station."""
    basis = "Public security video surveillance regulation, art. 7 (public places)"
    cameras = []
    for number, place in enumerate(DEMO_PLACES[:4], start=1):
        x, y = FRAME.xy(place.lat, place.lon)
        lat, lon = FRAME.latlon(x, y - 40)
        business = number == 3 and business_id is not None
        cameras.append(
            CameraIn(
                code=f"pub-{number}",
                name=f"{place.name} forecourt",
                latitude=lat,
                longitude=lon,
                height_m=6,
                heading_deg=0,
                fov_deg=90,
                range_m=80,
                area_class="public_area",
                owner_kind="business" if business else "agency",
                owner_name="Riverside Mall" if business else "Riverside Public Security Bureau",
                owner_organisation_id=business_id if business else None,
                agreement_reference="AGR-2026-014" if business else None,
                legal_basis=basis,
                stream_url=f"rtsp://viewer:demo@10.20.0.{number}:554/main",
                privacy_masks=[[(0.0, 0.0), (0.25, 0.0), (0.25, 0.3), (0.0, 0.3)]],
            )
        )
    for number, (x, y, heading) in enumerate([(-3500, 0, 90), (6500, 2000, 270)], start=1):
        lat, lon = FRAME.latlon(x, y)
        cameras.append(
            CameraIn(
                code=f"fringe-{number}",
                name=f"Fringe road junction {number}",
                latitude=lat,
                longitude=lon,
                height_m=8,
                heading_deg=heading,
                fov_deg=70,
                range_m=120,
                area_class="urban_rural_fringe",
                owner_kind="agency",
                owner_name="Riverside Public Security Bureau",
                legal_basis="Road traffic safety law, art. 5",
            )
        )
    lat, lon = FRAME.latlon(-6000, -5000)
    cameras.append(
        CameraIn(
            code="rural-pump-1",
            name="Pumping station perimeter",
            latitude=lat,
            longitude=lon,
            height_m=5,
            heading_deg=45,
            fov_deg=100,
            range_m=60,
            area_class="rural",
            owner_kind="agency",
            owner_name="Riverside Public Security Bureau",
            legal_basis="Critical infrastructure protection order 2026-3",
        )
    )
    return cameras


def evening_counts() -> list[VideoEventIn]:
    """What the forecourt cameras' analytics report over one evening rush: people counted
    in the entrance zone and the crowd density, every half hour. Counts, not identities."""
    start = datetime(2026, 12, 5, 17, 0, tzinfo=timezone(timedelta(hours=8)))
    events = []
    for camera, base in (("pub-1", 40), ("pub-2", 25)):
        for step in range(7):
            at = start + timedelta(minutes=30 * step)
            people = base + 12 * min(step, 6 - step)  # up to the rush at 18:30, then down
            for kind, value in (("zone_count", float(people)), ("crowd_density", people / 40)):
                events.append(
                    VideoEventIn(
                        source="demo-analytics",
                        source_event_id=f"{camera}-{kind}-{step}",
                        camera=camera,
                        kind=kind,
                        zone="entrance",
                        label="person" if kind == "zone_count" else None,
                        value=round(value, 2),
                        started_at=at,
                    )
                )
    return events


def console_pieces(runtime: Runtime, ctx: AccessContext) -> list[str]:
    """The first forecourt camera as the console shows it: the worker's zones, lines and
    rules on its frame (a rendered street scene), three events to review, each with a
    snapshot blurred as the worker writes it (mask blacked out, people blurred), and 16
    quarter-hours of counts in two zones up to now."""
    from vigil.video.worker.privacy import PrivacyMask, snapshot_name, write_snapshot
    from vigil.video.worker.synth import render

    width, height = 640, 360
    clip = render("street", frames=60, seed=11, width=width, height=height)
    store = runtime.settings.video_snapshot_dir
    now = utcnow().replace(microsecond=0)
    with runtime.unit_of_work() as session:
        camera = service.camera_by_code(session, ctx, "pub-1")
        drawn = clip.config.model_dump(
            mode="json", exclude={"camera", "privacy_masks", "start_at", "snapshot_dir"}
        )
        service.save_analytics_config(
            session,
            ctx,
            camera.id,
            AnalyticsConfigIn(frame_width=width, frame_height=height, config=drawn),
        )
        masks = [[(x * width, y * height) for x, y in m] for m in camera.privacy_masks]
    mask = PrivacyMask(masks, (height, width))
    events: list[VideoEventIn] = []
    for number, (kind, zone, frame, minutes) in enumerate(
        [("intrusion", "perimeter", 20, 9), ("loitering", "square", 38, 26),
         ("abandoned_object", "pavement", 55, 47)],
        start=1,
    ):  # fmt: skip
        source_event_id = f"pub-1-{kind}-{number}"
        snapshot = None
        if store is not None:
            people = [b.box for b in clip.truth[frame] if b.label == "person"]
            snapshot = write_snapshot(
                store,
                snapshot_name("pub-1", source_event_id),
                mask.apply(clip.frames[frame]),
                people,
            )
        events.append(
            VideoEventIn(
                source="demo-analytics",
                source_event_id=source_event_id,
                camera="pub-1",
                kind=kind,
                zone=zone,
                label="object" if kind == "abandoned_object" else "person",
                value=float(30 + number * 20) if kind != "intrusion" else None,
                started_at=now - timedelta(minutes=minutes),
                snapshot=snapshot,
            )
        )
    quarter = int(now.timestamp() // 900) * 900
    for step in range(16):
        start = datetime.fromtimestamp(quarter - (15 - step) * 900, tz=UTC)
        for zone, base in (("square", 6), ("pavement", 14)):
            events.append(
                VideoEventIn(
                    source="demo-analytics",
                    source_event_id=f"pub-1-count-{zone}-{int(start.timestamp())}",
                    camera="pub-1",
                    kind="zone_count",
                    zone=zone,
                    label="person",
                    value=float(base + (step * 7 + len(zone) * 3) % 11),
                    started_at=start,
                    ended_at=start + timedelta(minutes=15),
                )
            )
    with runtime.unit_of_work() as session:
        ingest_video_events(session, ctx, events)
    return [
        f"console: pub-1's zones, lines and rules stored for the worker ({len(drawn['zones'])} "
        f"zones, {len(drawn['lines'])} line, {len(drawn['rules'])} rules); "
        f"{sum(e.kind != 'zone_count' for e in events)} events to review"
        + (" with blurred snapshots" if store is not None else " (no snapshot store)")
        + "; 16 quarter-hours of counts in 2 zones"
    ]


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.2%}"


def run(runtime: Runtime, city: DemoCity) -> list[str]:
    lines: list[str] = []
    business_id = next(iter(city.business_ids.values()), None)
    document = city_geojson()
    with runtime.unit_of_work() as session:
        agency = governance.get_organisation(session, city.agency_ids[0])
        ctx = service.agency_context(session, str(agency.id))
        cameras = service.register_cameras(session, ctx, runtime.vault, demo_cameras(business_id))
        pump = next(c for c in cameras if c.code == "rural-pump-1")
        service.add_rule(
            session,
            ctx,
            pump.id,
            RuleIn(
                name="perimeter intrusion", kind="intrusion", zone="perimeter", labels=["person"]
            ),
        )
        classes = Counter(c.area_class for c in cameras)
        lines.append(
            f"{len(cameras)} cameras registered: "
            + ", ".join(f"{n} {k}" for k, n in sorted(classes.items()))
            + " (stream URLs encrypted)"
        )
        report = service.analyse_coverage(session, ctx, document)
        for row in [*report.by_class, report.total]:
            lines.append(
                f"coverage {row.area_class:18} road {_pct(row.road_share):>7} of "
                f"{row.road_m / 1000:.1f} km, key places "
                f"{row.key_places_covered}/{row.key_places}, "
                f"hot cells {row.hot_cells_covered}/{row.hot_cells}"
            )
        gaps = service.gap_report(session, ctx, document, sites=3, fov_deg=90, range_m=80)
        top = ", ".join(f"{g.name} ({g.kind}, {g.weight:g})" for g in gaps.gaps[:3])
        lines.append(f"gaps, heaviest first: {top}")
        lines.append(
            f"3 proposed sites see {gaps.covered_by_sites:g} of {gaps.uncovered_weight:g} "
            f"uncovered weight (greedy: {gaps.covered_by_greedy:g})"
        )
    with runtime.unit_of_work() as session:
        counted = ingest_video_events(session, ctx, evening_counts())
    lines.append(
        f"evening crowd counts at two station forecourts: {counted.stored} video events "
        "(people counted per zone, nobody identified)"
    )
    after = {
        "id": "1765000000.000001-demo01",
        "camera": "rural-pump-1",
        "label": "person",
        "sub_label": None,
        "false_positive": False,
        "start_time": 1765000000.000001,
        "end_time": None,
        "current_zones": ["perimeter"],
        "entered_zones": ["perimeter"],
    }
    message = json.dumps({"type": "new", "before": after, "after": after}).encode()
    with runtime.unit_of_work() as session:  # the agency's NVR listens with its source key
        nvr_key = governance.create_api_key(session, ctx, agency.id, "demo NVR").secret
    tally = ListenTally()
    handle = frigate_message_handler(runtime, nvr_key, tally)
    handle(message)
    handle(message)  # the broker delivers it again: nothing changes
    lines.append(
        f"Frigate intrusion at the pumping station, delivered {tally.messages} times: "
        f"{tally.stored} video event, {tally.alerts} alert, {tally.duplicates} duplicate"
    )
    lines += console_pieces(runtime, ctx)
    return lines
