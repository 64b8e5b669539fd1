"""The people in one blob's full-scale silhouette, front to back. A person's feet are the lowest
part of them, and nearer people stand lower on the image, so the lowest part of what is left
is the nearest person not yet found: their calibrated size at that foot row tells how much of
the silhouette is theirs. What is left above them (the head and shoulders of someone behind)
or beside them (someone next to them) is judged again, until too little is left to be a person.
Only the shape and the calibration are used: nothing follows a person from frame to frame."""

from __future__ import annotations

import cv2
import numpy as np

from vigil.video.worker.geometry import PersonScale

Box = tuple[float, float, float, float]

MIN_SHARE = 0.12  # of a person's box: a leftover smaller is an arm or an edge, not a person
LEG_BAND = 0.15  # of a person's height: columns whose lowest pixel is this close are the legs
# a figure shorter than this share of a person (1.45 m of 1.7 m) lacks its feet (or they are
# hidden): legs the grey of the ground lose their lower part first, and at the back of a scene
# a box a sixth short puts its foot a metre too deep, where its head's row puts it within cm
SHORT = 0.85
ARM_REACH = 0.65  # of a person's width either side of their centre: their arms' swing
HEAD_ROOM = 1.05  # of a person's height above the foot row that is theirs
MAX_PEOPLE = 8


def _lowest_rows(piece: np.ndarray) -> np.ndarray:
    """Each column's lowest set row, -1 where the column is empty."""
    height = piece.shape[0]
    lowest = height - 1 - np.argmax(piece[::-1], axis=0)
    return np.where(piece.any(axis=0), lowest, -1)


def _nearest_piece(left: np.ndarray, x0: int, y0: int, scale: PersonScale) -> np.ndarray | None:
    """The part of `left` (a connected piece big enough to be a person) that reaches lowest."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        left.astype(np.uint8), connectivity=8
    )
    best, best_bottom = 0, -1
    for k in range(1, count):
        x, y, w, h, area = stats[k]
        person_w, person_h = scale.person_size((x0 + x + w / 2, y0 + y + h))
        if person_w <= 0 or area < MIN_SHARE * person_w * person_h:
            continue
        if y + h > best_bottom:
            best, best_bottom = k, y + h
    return labels == best if best else None


def fit_people(silhouette: np.ndarray, x0: int, y0: int, scale: PersonScale) -> list[Box]:
    """Person boxes (frame pixels) for a boolean silhouette whose top-left is at x0, y0."""
    left = silhouette.copy()
    taken = np.zeros_like(left)
    boxes: list[Box] = []
    while len(boxes) < MAX_PEOPLE:
        piece = _nearest_piece(left, x0, y0, scale)
        if piece is None:
            break
        lowest = _lowest_rows(piece)
        low = int(lowest.max())
        first = int(np.argmax(lowest == low))
        person_w, person_h = scale.person_size((x0 + first, y0 + low + 1))
        # the centre: where a person-wide window holds most of the piece, near the lowest leg
        rows = slice(max(0, round(low + 1 - person_h)), low + 1)
        profile = piece[rows].sum(axis=0).astype(np.float64)
        window = max(1, round(0.8 * person_w))
        start = (window - 1) // 2
        smooth = np.convolve(profile, np.ones(window))[start : start + profile.size]
        columns = np.arange(piece.shape[1])
        near = (columns >= first - 0.5 * person_w) & (columns <= first + 0.5 * person_w)
        centre = int(np.argmax(np.where(near, smooth, -1.0)))
        c1 = max(0, round(centre - 0.5 * person_w))
        c2 = min(piece.shape[1], round(centre + 0.5 * person_w) + 1)
        # the rows that are theirs: a head's height above the foot at most
        r1 = max(0, round(low + 1 - HEAD_ROOM * person_h))
        band = left[r1 : low + 1, c1:c2]  # a head cut off by clothing the grey of the wall
        filled_rows = np.flatnonzero(band.any(axis=1))
        filled_cols = np.flatnonzero(band.any(axis=0))
        if filled_rows.size == 0:
            left &= ~piece
            continue
        top = r1 + int(filled_rows[0])
        foot = float(y0 + low + 1)
        hidden = low + 1 < taken.shape[0] and taken[low + 1, c1:c2].any()
        if hidden or low + 1 - top < SHORT * person_h:
            # the feet are behind someone nearer, or blend into the ground: where a person
            # whose head is at `top` stands (never lower than the nearer person's feet)
            if hidden:
                limit = float(y0 + np.flatnonzero(taken.any(axis=1))[-1])
            else:
                limit = float(y0 + top + 4 * (low + 1 - top))
            foot = max(foot, scale.foot_for_top(x0 + centre, y0 + top, limit))
        boxes.append(
            (
                float(x0 + c1 + filled_cols[0]),
                float(y0 + top),
                float(x0 + c1 + filled_cols[-1] + 1),
                foot,
            )
        )
        claimed = np.zeros_like(left)  # their arms too, which swing wider than the body
        a1 = max(0, round(centre - ARM_REACH * person_w))
        a2 = min(piece.shape[1], round(centre + ARM_REACH * person_w) + 1)
        claimed[r1 : low + 1, a1:a2] = True
        claimed &= left
        taken |= claimed
        left &= ~claimed
    return boxes
