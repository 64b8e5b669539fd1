"""A moving blob's silhouette at full scale. Motion runs on a reduced frame, where people
side by side in a group touch and a foot lies anywhere in a row of 2-4 pixels; the full frame,
compared with the motion model's background brought up to its size, shows the gaps between
them and where the feet end. Only the pixels of the blob's own mask (grown by one motion
pixel) count, so the background's blur and other blobs never add to it."""

from __future__ import annotations

import cv2
import numpy as np

from vigil.video.worker.motion import Motion, difference, gray

DIFFERENCE = 10  # levels from the background in some channel: a figure's pixel at full scale
FAINT = 0.3  # a silhouette with less of the blob's (grown) area than this is not trusted
_JOIN = cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5))  # a head to its body, a leg to the hip


def foreground_difference(frame: np.ndarray, motion: Motion) -> np.ndarray | None:
    """The frame's `difference` from the background at full scale (the largest change in any
    channel, as the motion model sees colour), the frame levelled as the motion model saw it;
    None without a background (the detector then uses the mask alone)."""
    if motion.background is None or motion.scale >= 1.0:
        return None
    background = motion.background()
    if background is None:
        return None
    if background.ndim != frame.ndim:  # a grey frame (or model) is compared in grey
        frame, background = gray(frame), gray(background)
    if motion.gain != 1.0:
        frame = cv2.convertScaleAbs(frame, alpha=motion.gain)
    size = (frame.shape[1], frame.shape[0])
    return difference(frame, cv2.resize(background, size, interpolation=cv2.INTER_LINEAR))


def silhouette(
    difference: np.ndarray,
    labels: np.ndarray,
    index: int,
    stats: tuple[int, int, int, int],
    inverse: float,
) -> tuple[np.ndarray, tuple[int, int]] | None:
    """Blob `index` of `labels` (motion scale; its box `stats` x, y, w, h) as a uint8 0/255
    mask at full scale and the mask's top-left corner in the frame; None when too faint."""
    x, y, w, h = stats
    x0, y0 = max(0, x - 1), max(0, y - 1)
    x1, y1 = min(labels.shape[1], x + w + 1), min(labels.shape[0], y + h + 1)
    region = labels[y0:y1, x0:x1]
    own = (region == index).astype(np.uint8)
    grown = cv2.dilate(own, np.ones((3, 3), np.uint8)) & ((region == 0) | (own > 0))
    fx0, fy0 = round(x0 * inverse), round(y0 * inverse)
    fx1 = min(difference.shape[1], round(x1 * inverse))
    fy1 = min(difference.shape[0], round(y1 * inverse))
    if fx1 <= fx0 or fy1 <= fy0:
        return None
    support = cv2.resize(grown, (fx1 - fx0, fy1 - fy0), interpolation=cv2.INTER_NEAREST)
    fine = np.where(support > 0, difference[fy0:fy1, fx0:fx1] > DIFFERENCE, False)
    # nothing lies outside the region (the default border would grow feet down to its edge)
    fine = cv2.morphologyEx(
        fine.astype(np.uint8) * 255,
        cv2.MORPH_CLOSE,
        _JOIN,
        borderType=cv2.BORDER_CONSTANT,
        borderValue=0,
    )
    if cv2.countNonZero(fine) < FAINT * cv2.countNonZero(own) * inverse * inverse:
        return None
    return fine, (fx0, fy0)
