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


class PersonScale:
    """How big an upright person (or a vehicle) looks at an image point, from the ground-plane
    calibration: the image-horizontal scale (pixels per metre) at a foot point, applied to a
    person's height and width. Upright things at that distance show at about that scale."""

    PERSON_HEIGHT_M = 1.7
    PERSON_WIDTH_M = 0.66  # shoulders with the arms' swing

    def __init__(self, calibration: Calibration):
        self.to_world = homography(calibration)
        self.to_image = np.linalg.inv(self.to_world)
        x, y = calibration.image_points[0]  # on the ground: the sign of w there is the ground's
        self._sign = 1.0 if self._w(x, y) > 0 else -1.0

    def _w(self, x: float, y: float) -> float:
        h = self.to_world
        return float(h[2, 0] * x + h[2, 1] * y + h[2, 2])

    def pixels_per_metre(self, at: Point) -> float:
        """Pixels per metre along the image row at `at`; 0 where the point is not on the
        ground plane (at or above the horizon)."""
        x, y = at
        if self._sign * self._w(x, y) <= 0 or self._sign * self._w(x + 1, y) <= 0:
            return 0.0  # the horizon or above it
        a, b = project(self.to_world, [(x, y), (x + 1.0, y)])
        metres = float(np.hypot(*(b - a)))
        return 1.0 / metres if metres > 0 else 0.0

    def person_size(self, foot: Point) -> tuple[float, float]:
        """(width, height) in pixels of a person standing at `foot`; (0, 0) off the ground."""
        ppm = self.pixels_per_metre(foot)
        return self.PERSON_WIDTH_M * ppm, self.PERSON_HEIGHT_M * ppm

    def foot_for_top(self, x: float, top: float, bottom_limit: float) -> float:
        """The foot row of a person at column `x` whose head is at row `top` (the fixed point of
        foot = top + height(foot)), at most `bottom_limit`."""
        foot = top
        for _ in range(8):
            height = self.person_size((x, foot))[1]
            if height <= 0:
                return min(bottom_limit, top)
            foot = min(bottom_limit, top + height)
        return foot
