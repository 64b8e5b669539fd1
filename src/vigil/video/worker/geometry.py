"""Small geometry over image pixels and the calibrated ground plane."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from vigil.video.worker.config import Calibration, Point


def homography(calibration: Calibration) -> np.ndarray:
    """The 3x3 matrix that maps image pixels to ground-plane metres."""
    src = np.asarray(calibration.image_points, dtype=np.float64)
    dst = np.asarray(calibration.world_points, dtype=np.float64)
    matrix, _ = cv2.findHomography(src, dst, 0)
    if matrix is None:
        raise ValueError("the calibration points are degenerate (collinear?)")
    return matrix


def project(matrix: np.ndarray, points: Sequence[Point] | np.ndarray) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 1, 2)
    return cv2.perspectiveTransform(pts, matrix).reshape(-1, 2)


def polygon_area(points: Sequence[Point] | np.ndarray) -> float:
    pts = np.asarray(points, dtype=np.float64)
    x, y = pts[:, 0], pts[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def area_per_pixel(matrix: np.ndarray, at: Point) -> float:
    """Ground area (m²) one image pixel covers near `at` (the homography's local Jacobian)."""
    x, y = at
    square = project(matrix, [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)])
    return polygon_area(square)


def inside(polygon: Sequence[Point], point: Point) -> bool:
    contour = np.asarray(polygon, dtype=np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(contour, (float(point[0]), float(point[1])), False) >= 0


def side(a: Point, b: Point, point: Point) -> float:
    """> 0 on the right-hand side of a→b as seen on the image (y points down), < 0 on its
    left-hand side, 0 on the line."""
    return (b[0] - a[0]) * (point[1] - a[1]) - (b[1] - a[1]) * (point[0] - a[0])


def segments_cross(p: Point, q: Point, a: Point, b: Point) -> bool:
    """Whether the step p→q crosses the segment a–b (touching counts once, on arrival)."""
    d1, d2 = side(a, b, p), side(a, b, q)
    d3, d4 = side(p, q, a), side(p, q, b)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0)


def fill_mask(shape: tuple[int, int], polygons: Sequence[Sequence[Point]]) -> np.ndarray:
    """A uint8 mask (255 inside any polygon) of `shape` (height, width)."""
    mask = np.zeros(shape, dtype=np.uint8)
    for polygon in polygons:
        pts = np.round(np.asarray(polygon, dtype=np.float64)).astype(np.int32).reshape(-1, 1, 2)
        cv2.fillPoly(mask, [pts], 255)
    return mask
