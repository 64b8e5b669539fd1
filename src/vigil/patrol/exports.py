"""Plan exports: CSV of visits, iCalendar per unit, printable PDF per unit and shift. Pure.

The PDF uses ReportLab's built-in CID font STSong-Light (no font file, nothing downloaded), so
Chinese place names render; each page lists a shift's stops and draws them on a simple map."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC
from itertools import pairwise
from typing import Any

from vigil.patrol import plan as fmt

CJK_FONT = "STSong-Light"


def to_csv(plan: fmt.Plan) -> str:
    places = {p.id: p for p in plan.places}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "place", "place_name", "kind", "lat", "lon", "start", "end"])
    for a in sorted(plan.assignments, key=lambda a: (a.unit, a.start)):
        p = places[a.place]
        writer.writerow(
            [a.unit, a.place, p.name, p.kind, p.lat, p.lon, a.start.isoformat(), a.end.isoformat()]
        )
    return out.getvalue()


def to_ical(plan: fmt.Plan) -> dict[str, bytes]:
    """One calendar per unit code: a VEVENT per visit, at the place (name and geo)."""
    from icalendar import Calendar, Event

    places = {p.id: p for p in plan.places}
    calendars: dict[str, bytes] = {}
    visits: dict[str, list[fmt.Assignment]] = defaultdict(list)
    for a in plan.assignments:
        visits[a.unit].append(a)
    for code, items in sorted(visits.items()):
        cal = Calendar()
        cal.add("prodid", "-//Vigil//patrol plan//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", f"Patrol {code} {plan.week}")
        for n, a in enumerate(sorted(items, key=lambda a: a.start)):
            p = places[a.place]
            event = Event()
            event.add("uid", f"{plan.week}-{code}-{n}@vigil.patrol")
            event.add("summary", f"Patrol: {p.name}")
            # in UTC: a fixed offset has no VTIMEZONE and would read back as floating time
            event.add("dtstart", a.start.astimezone(UTC))
            event.add("dtend", a.end.astimezone(UTC))
            event.add("dtstamp", a.start.astimezone(UTC))
            event.add("location", p.name)
            event.add("geo", (p.lat, p.lon))
            cal.add_component(event)
        calendars[code] = cal.to_ical()
    return calendars


def to_pdf(plan: fmt.Plan, units: list[str] | None = None) -> bytes:
    """A page per unit and shift: the stops in order and a map of them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    places = {p.id: p for p in plan.places}
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Patrol plan {plan.week}")
    width, height = A4
    wanted = set(units) if units else None
    for unit in plan.units:
        if wanted is not None and unit.code not in wanted:
            continue
        for shift in unit.shifts:
            stops = sorted(
                (
                    a
                    for a in plan.assignments
                    if a.unit == unit.code and shift.start <= a.start < shift.end
                ),
                key=lambda a: a.start,
            )
            if not stops:
                continue
            pdf.setFont(CJK_FONT, 14)
            pdf.drawString(40, height - 50, f"{unit.code} ({unit.type}) {plan.week}")
            pdf.setFont(CJK_FONT, 10)
            pdf.drawString(
                40,
                height - 68,
                f"Shift {shift.start:%Y-%m-%d %H:%M} - {shift.end:%H:%M}, "
                f"base {places[unit.base].name}",
            )
            _draw_map(pdf, [places[a.place] for a in stops], 40, height - 330, width - 80, 250)
            y = height - 350
            for n, a in enumerate(stops, 1):
                if y < 50:
                    pdf.showPage()
                    pdf.setFont(CJK_FONT, 10)
                    y = height - 50
                pdf.drawString(
                    40,
                    y,
                    f"{n:>2}. {a.start:%H:%M}-{a.end:%H:%M}  {places[a.place].name}  ({a.place})",
                )
                y -= 14
            pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_map(pdf: Any, stops: list[fmt.Place], x: float, y: float, w: float, h: float) -> None:
    pdf.rect(x, y, w, h)
    lats = [p.lat for p in stops]
    lons = [p.lon for p in stops]
    lat0, lat1 = min(lats), max(lats)
    lon0, lon1 = min(lons), max(lons)
    span_lat = max(lat1 - lat0, 1e-4)
    span_lon = max(lon1 - lon0, 1e-4)

    def at(p: fmt.Place) -> tuple[float, float]:
        return (
            x + 15 + (p.lon - lon0) / span_lon * (w - 30),
            y + 15 + (p.lat - lat0) / span_lat * (h - 30),
        )

    points = [at(p) for p in stops]
    for (x1, y1), (x2, y2) in pairwise(points):
        pdf.line(x1, y1, x2, y2)
    pdf.setFont(CJK_FONT, 7)
    for n, (px, py) in enumerate(points, 1):
        pdf.circle(px, py, 3, fill=1)
        pdf.drawString(px + 4, py + 4, str(n))
