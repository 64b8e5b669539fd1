"""The joint assignment of loitering places to feet (`places.assign`)."""

from __future__ import annotations

import numpy as np

from vigil.video.worker.places import assign

INF = np.inf


def test_the_nearest_pair_gives_way_when_both_places_can_be_kept() -> None:
    # foot 0 is nearest place 1 (0.3), but foot 1 is in reach of place 1 only: jointly,
    # foot 0 keeps place 0 (0.8) and foot 1 keeps place 1 (0.5)
    distances = np.array([[0.8, INF], [0.3, 0.5]])
    assert assign(distances, [0, 0]) == {0: 0, 1: 1}


def test_a_lower_tier_is_served_first() -> None:
    # place 1 (tier 0) takes the foot, though place 0 (tier 1) is nearer to it
    distances = np.array([[0.1], [0.6]])
    assert assign(distances, [1, 0]) == {0: 1}


def test_a_foot_out_of_every_reach_keeps_no_place() -> None:
    distances = np.array([[INF, 0.2]])
    assert assign(distances, [0]) == {1: 0}
    assert assign(np.empty((0, 2)), []) == {}
