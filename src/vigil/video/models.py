"""The camera registry, alert rules per camera, and normalised video events.

Nothing here identifies a person: events are counts and detections in places. A camera's
stream URL (which often carries credentials) is stored only as ciphertext."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vigil.core.clock import utcnow
from vigil.core.db import Base, JsonDoc, UtcDateTime


class Camera(Base):
    """Where a camera stands and looks. `code` names it in every event source (a Frigate
    camera name, the worker's camera, a webhook's `camera`)."""

    __tablename__ = "video_camera"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    height_m: Mapped[float] = mapped_column(Float)
    heading_deg: Mapped[float] = mapped_column(Float)  # clockwise from north
    fov_deg: Mapped[float] = mapped_column(Float)
    range_m: Mapped[float] = mapped_column(Float)
    area_class: Mapped[str] = mapped_column(String(24))  # public_area | urban_rural_fringe | rural
    owner_kind: Mapped[str] = mapped_column(String(12))  # agency | business
    owner_name: Mapped[str] = mapped_column(String(200))
    # a business's camera is shared under an agreement; its API key may post its events
    owner_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    agreement_reference: Mapped[str | None] = mapped_column(String(120))
    legal_basis: Mapped[str] = mapped_column(String(200))  # why the camera may watch this place
    stream_url_ciphertext: Mapped[str | None] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(16), default="active")
    # polygons in image coordinates (0..1): never analysed, never stored
    privacy_masks: Mapped[list[Any]] = mapped_column(JsonDoc, default=list)
    manufacturer: Mapped[str | None] = mapped_column(String(120))
    # the critical asset this camera guards (an infra_asset row of the same agency): its
    # intrusions feed that asset's incidents (vigil.flows.video_events)
    infrastructure_asset_id: Mapped[int | None] = mapped_column(Integer, index=True)
    model: Mapped[str | None] = mapped_column(String(120))
    serial_number: Mapped[str | None] = mapped_column(String(120))
    # the built-in worker's analytics (zones, lines, rules; a `WorkerConfig` without camera
    # and masks, which come from this row) and the frame size its pixel coordinates refer to
    analytics_config: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    analytics_frame: Mapped[list[int] | None] = mapped_column(JsonDoc)  # [width, height]
    analytics_updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    analytics_updated_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class VideoRule(Base):
    """Which events of a camera raise an alert: a kind, optionally a zone and labels."""

    __tablename__ = "video_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("video_camera.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))
    zone: Mapped[str | None] = mapped_column(String(120))  # None: any zone
    labels: Mapped[list[str]] = mapped_column(JsonDoc, default=list)  # []: any label
    min_value: Mapped[float | None] = mapped_column(Float)  # e.g. people per m2, dwell s
    score: Mapped[float] = mapped_column(Float, default=1.0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class VideoEvent(Base):
    """One event from any source, in the generic format; (source, source_event_id) is
    the idempotency key."""

    __tablename__ = "video_event"
    __table_args__ = (
        UniqueConstraint("source", "source_event_id"),
        Index("ix_video_event_review", "organisation_id", "review_state", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    source_event_id: Mapped[str] = mapped_column(String(200))
    camera_id: Mapped[int] = mapped_column(ForeignKey("video_camera.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    zone: Mapped[str | None] = mapped_column(String(120))
    label: Mapped[str | None] = mapped_column(String(16))
    direction: Mapped[str | None] = mapped_column(String(4))
    value: Mapped[float | None] = mapped_column(Float)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    snapshot: Mapped[str | None] = mapped_column(String(300))  # a blurred image, relative
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    # an operator's review: open -> confirmed | false_alarm, by whom, when, why
    review_state: Mapped[str] = mapped_column(String(12), default="open", server_default="open")
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_note: Mapped[str | None] = mapped_column(String(500))
