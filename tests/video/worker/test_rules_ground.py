"""The zone and line rules on a calibrated camera, over hand-made tracks: the causes of the
misses and false events found on the accuracy bench's development clips, one test each.

The ground plane here is 1 px = 1 cm; people are 170 px (1.7 m) tall boxes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vigil.video.worker.analytics import Analytics, FrameContext
from vigil.video.worker.config import WorkerConfig
from vigil.video.worker.tracking import Track

START = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HEIGHT = 170.0


def _config(*rules: dict, depth_per_px: float = 0.01) -> WorkerConfig:
    """The camera; `depth_per_px` is the metres of depth one image row spans (0.05: the
    foreshortened back of a street scene, where a box's foot a few rows off is a metre)."""
    return WorkerConfig.model_validate(
        {
            "camera": "cam-g",
            "fps": 10,
            "start_at": START.isoformat(),
            "calibration": {
                "image_points": [[0, 0], [100, 0], [100, 100], [0, 100]],
                "world_points": [[0, 0], [1, 0], [1, 100 * depth_per_px], [0, 100 * depth_per_px]],
            },
            "zones": [
                {"name": "yard", "polygon": [[100, 100], [700, 100], [700, 700], [100, 700]]}
            ],
            "lines": [{"name": "gate", "a": [900, 100], "b": [900, 700]}],
            "rules": list(rules),
        }
    )


def _at(track_id: int, x: float, y: float = 400.0) -> Track:
    return Track(track_id, "person", (x - 25, y - HEIGHT, x + 25, y))


def _run(config: WorkerConfig, frames: list[list[Track]]):
    analytics = Analytics(config, (800, 1000), 1.0)
    events = []
    for index, tracks in enumerate(frames):
        at = START + timedelta(seconds=index / config.fps)
        events += [e.event for e in analytics.step(FrameContext(index, at, tracks, None))]
    return events


def _kind(events, kind: str) -> list:
    return [e for e in events if e.kind == kind]


FENCE = {"name": "fence", "kind": "intrusion", "zone": "yard"}
LOITER = {"name": "loiter", "kind": "loitering", "zone": "yard", "dwell_s": 5}
COUNT = {"name": "count", "kind": "line_crossing", "zone": "gate"}


def test_a_person_who_stands_still_in_the_zone_is_one_intrusion() -> None:
    # walks 2 m into the yard and stops: the motion detector loses them for 8 s (longer than
    # the 3 s exit gap); the tracker finds them again, under a new id, where they stood
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)]  # in at x = 100, stops at x = 340
    frames = walk + [[]] * 80 + [[_at(2, 345 + i)] for i in range(20)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 1


def test_the_same_id_back_where_it_stood_still_is_the_same_stay() -> None:
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)]
    frames = walk + [[]] * 80 + [[_at(1, 345 + i)] for i in range(20)]
    events = _run(_config(FENCE, LOITER), frames)
    assert len(_kind(events, "intrusion")) == 1
    # the dwell runs through the still stretch: 11.5 s in all, reported once at 5 s
    loiter = _kind(events, "loitering")
    assert len(loiter) == 1 and loiter[0].started_at == START + timedelta(seconds=0.2)


def test_someone_else_who_appears_later_far_from_the_stop_is_a_new_intrusion() -> None:
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)]
    # 8 s later a person appears 2.5 m from where the first one was lost: not the same
    frames = walk + [[]] * 80 + [[_at(2, 590 + i)] for i in range(20)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 2


def test_two_loiterers_1_4_m_apart_are_two_on_a_calibrated_camera() -> None:
    # one body height on the image (170 px) would join them; on the ground they stand apart.
    # B comes 3 s after A (people who come in together are one arrival: see below)
    a = [_at(1, 300 + (i % 20)) for i in range(120)]
    b = [_at(2, 60 + 20 * i, 400) for i in range(10)] + [_at(2, 440 + (i % 20)) for i in range(80)]
    frames = [[a[i]] + ([b[i - 30]] if i >= 30 else []) for i in range(120)]
    assert len(_kind(_run(_config(LOITER), frames), "loitering")) == 2


def test_a_second_box_opened_with_a_loiterer_1_3_m_off_is_one_loiterer() -> None:
    # at the back of a scene a foot a few rows off is a metre or more of depth: a second box
    # on A opens a place 0.5 s after A's, 1.3 m in front of it, and is kept as long
    a = [_at(1, 300 + (i % 4)) for i in range(80)]
    second = [[] for _ in range(5)] + [[_at(2, 300 + (i % 4), 530)] for i in range(75)]
    frames = [[a[i], *second[i]] for i in range(80)]
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert len(loiter) == 1 and loiter[0].started_at == START


def test_a_held_place_taken_up_by_a_passer_by_for_a_moment_does_not_loiter() -> None:
    # A stands 0.6 m inside the yard's edge for 2 s and is lost (the place is held); 4 s later
    # a walker comes by 0.45 m from A's spot and walks out of the yard within 0.8 s: A's place
    # would be 6 s old, over the 5 s dwell, but the walker did not keep it long enough to be
    # A back
    frames: list[list[Track]] = [[_at(1, 160 + (i % 2))] for i in range(20)]
    frames += [[] for _ in range(40)]
    frames += [[_at(2, 180 - 10 * i, 440)] for i in range(20)]
    assert _kind(_run(_config(LOITER), frames), "loitering") == []


def test_a_lost_track_whose_stay_goes_on_is_not_continued_by_a_newcomer() -> None:
    # person 1 walks in; their track breaks and goes on as track 2 at once; a second later
    # person 3 appears 1.4 m away, where track 1 was last seen: a new person, not a fragment
    first = [[_at(1, 60 + 20 * i)] for i in range(13)]  # lost at x = 300
    rest = []
    for i in range(70):
        tracks = [_at(2, 305 + (i % 10))]
        if i >= 10:
            tracks.append(_at(3, 440 + (i % 10)))
        rest.append(tracks)
    events = _run(_config(LOITER, FENCE), first + rest)
    assert len(_kind(events, "loitering")) == 2
    assert len(_kind(events, "intrusion")) == 2


def test_a_track_born_just_past_the_line_walking_away_is_counted() -> None:
    # one blob of two people splits as they cross: the second person's track is born 0.3 m
    # past the line and walks on; the first track was lost just before the line
    before = [[_at(1, 800 + 20 * i)] for i in range(5)]  # up to x = 880, in the margin
    after = [[_at(2, 930 + 15 * i)] for i in range(10)]
    crossings = _kind(_run(_config(COUNT), before + after), "line_crossing")
    assert [e.direction for e in crossings] == ["in"]


def test_a_fragment_born_past_the_line_after_a_counted_crossing_is_not_counted_again() -> None:
    crossed = [[_at(1, 840 + 20 * i)] for i in range(7)]  # crosses x = 900 and is counted
    fragment = [[_at(2, 965 + 15 * i)] for i in range(10)]  # a new id on the same person
    crossings = _kind(_run(_config(COUNT), crossed + fragment), "line_crossing")
    assert len(crossings) == 1


def test_a_box_born_at_the_line_that_stays_there_is_not_a_crossing() -> None:
    # the motion model's ghost of someone who stood 0.3 m past the line: a box born there that
    # drifts a few centimetres has not walked away from the line, so it crossed nothing
    frames = [[_at(1, 930 + 1 * i)] for i in range(15)]
    assert _kind(_run(_config(COUNT), frames), "line_crossing") == []
    walks = [[_at(1, 930 + 15 * i)] for i in range(15)]  # born there and walking on: counted
    assert len(_kind(_run(_config(COUNT), walks), "line_crossing")) == 1


def test_a_new_track_listed_before_a_continuing_one_does_not_take_its_id() -> None:
    # A walks across the gate; a second box (B) appears 0.2 m behind A's foot and is listed
    # first: A keeps its id, and B (a new id) is not A walking on
    analytics = Analytics(_config(COUNT), (800, 1000), 1.0)
    for i in range(5):
        analytics.stitch(i, [_at(7, 700 + 15 * i)])
    a_id = analytics.alias[7]
    out = analytics.stitch(5, [_at(8, 760, 380), _at(7, 775)])
    ids = {track.foot: track.id for track in out}
    assert ids[(775.0, 400.0)] == a_id
    assert ids[(760.0, 380.0)] != a_id


def test_a_lost_track_is_continued_within_stitch_m_on_the_ground_not_on_the_image() -> None:
    def continued(config: WorkerConfig, lost: Track, new: Track) -> bool:
        analytics = Analytics(config, (800, 1000), 1.0)
        for i in range(5):
            analytics.stitch(i, [lost])  # stands still, then is lost
        before = analytics.alias[lost.id]
        return analytics.stitch(8, [new])[0].id == before

    # at the back of a foreshortened scene 50 rows are 2.5 m: well within a body height on
    # the image, but someone else
    back = _config(COUNT, depth_per_px=0.05)
    assert not continued(back, _at(1, 500), _at(2, 500, 450))
    assert continued(back, _at(1, 500), _at(2, 500, 420))  # 1 m
    # a small box 1 m to the side is within reach, though it is two of its heights away
    near = _config(COUNT)
    small = [Track(i, "person", (x - 10, 340, x + 10, 400)) for i, x in ((1, 500), (2, 600))]
    assert continued(near, *small)


def test_a_track_born_far_from_the_line_is_not_counted() -> None:
    frames = [[_at(1, 1000 + 15 * i)] for i in range(10)]  # born 1 m past it (2 widths)
    assert _kind(_run(_config(COUNT), frames), "line_crossing") == []


def test_a_loiterer_whose_box_goes_to_a_passer_by_still_loiters() -> None:
    # A stands at x = 300 for 8 s; after 4 s the tracker gives A's id to B, who walks
    # through the yard past A, and A goes on under a new id: A has loitered (dwell 5 s), B not
    frames = []
    for i in range(80):
        if i < 40:
            frames.append([_at(1, 300 + (i % 8))])
        else:
            b = _at(1, 150 + 25 * (i - 40), 520)  # B, 1.2 m in front of A, under A's old id
            frames.append(
                [_at(3, 300 + (i % 8)), b] if 150 + 25 * (i - 40) < 900 else [_at(3, 300)]
            )
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert len(loiter) == 1 and loiter[0].started_at == START


def test_people_walking_through_the_zone_one_after_another_do_not_loiter() -> None:
    # a stream of walkers along the same path, 1.5 s apart, each 4 s in the yard
    frames: list[list[Track]] = [[] for _ in range(120)]
    for n in range(8):
        for i in range(40):
            if n * 15 + i < 120:
                frames[n * 15 + i].append(_at(10 + n, 60 + 17 * i))
    assert _kind(_run(_config(LOITER), frames), "loitering") == []


def test_a_loiterer_lost_near_the_edge_after_staying_a_while_goes_on_loitering() -> None:
    # A stands 0.3 m inside the yard's edge (not deep in it) for 9 s, is lost for 6 s (longer
    # than the 3 s exit gap: the motion detector no longer sees someone who stands still) and
    # is seen again at the same spot for 5 s: one stay of 20 s from the start
    rule = {**LOITER, "dwell_s": 12}
    frames = [[_at(1, 300 + (i % 4), 130)] for i in range(90)]
    frames += [[] for _ in range(60)]
    frames += [[_at(2, 300 + (i % 4), 130)] for i in range(50)]
    loiter = _kind(_run(_config(rule), frames), "loitering")
    assert len(loiter) == 1 and loiter[0].started_at == START


def test_a_walker_lost_near_the_edge_does_not_keep_a_place_open() -> None:
    # a walker 3 s in the yard near its edge, then someone else standing there 6 s later for
    # 10 s: the walker's place closed after the exit gap, so nobody has stayed 12 s
    rule = {**LOITER, "dwell_s": 12}
    frames = [[_at(1, 100 + 8 * i, 130)] for i in range(30)]
    frames += [[] for _ in range(60)]
    frames += [[_at(2, 300 + (i % 4), 130)] for i in range(100)]
    assert _kind(_run(_config(rule), frames), "loitering") == []


def test_two_boxes_on_one_loiterer_are_one_loitering_event() -> None:
    # the detector gives a standing person two boxes 0.8 m apart on the ground (their feet
    # further apart than one person's twin boxes): two places open together, one report
    frames = [[_at(1, 300 + (i % 4)), _at(2, 380 + (i % 4))] for i in range(80)]
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert len(loiter) == 1 and loiter[0].started_at == START


def test_a_place_held_for_someone_who_stood_still_is_not_taken_up_by_another_person() -> None:
    # A stands deep in the yard for 4 s and is lost (the motion detector no longer sees
    # someone who stands still): A's place is held open. 8 s after A came, B stands 1 m from
    # A's spot for 9 s. B is not A back where A stood, so B's dwell starts when B came:
    # nobody has stayed 12 s
    rule = {**LOITER, "dwell_s": 12}
    frames = [[_at(1, 300 + (i % 4))] for i in range(40)]
    frames += [[] for _ in range(40)]
    frames += [[_at(2, 400 + (i % 4))] for i in range(90)]
    assert _kind(_run(_config(rule), frames), "loitering") == []


def test_someone_back_where_they_stood_still_takes_their_place_up_again() -> None:
    # as above, but A is seen again 0.3 m from where A stood: one stay, from A's arrival
    rule = {**LOITER, "dwell_s": 12}
    frames = [[_at(1, 300 + (i % 4))] for i in range(40)]
    frames += [[] for _ in range(40)]
    frames += [[_at(2, 330 + (i % 4))] for i in range(90)]
    loiter = _kind(_run(_config(rule), frames), "loitering")
    assert len(loiter) == 1 and loiter[0].started_at == START


def test_ids_swapped_at_the_zone_edge_are_one_intrusion() -> None:
    # A walks 0.4 m into the yard along its top edge and stays; B walks past 0.2 m outside
    # it; as they pass, the tracker swaps their ids: B's id steps in 0.6 m from where A's
    # foot was last (a short step, as if it walked in) and A's id walks away outside
    a = [_at(1, 60 + 20 * i, 140) for i in range(12)]  # in at x = 100, on to x = 280
    b = [_at(2, 400 - 10 * i, 80) for i in range(12)]  # outside, reaches x = 290
    swapped = [[_at(2, 340 + i, 140), _at(1, 280 - 10 * i, 80)] for i in range(1, 30)]
    frames = [[a[i], b[i]] for i in range(12)] + swapped
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 1


def test_a_second_box_that_goes_on_where_a_reported_person_was_lost_is_one_intrusion() -> None:
    # A is in the yard and reported; a second box flickers 0.9 m from A's foot for one frame
    # (a foot misplaced in depth); two frames later A's track is lost and that second id
    # comes back where A stood: the same person, not a second intrusion
    a = [[_at(1, 60 + 20 * i)] for i in range(15)]  # in at x = 100, on to x = 340
    flicker = [[_at(1, 345), _at(3, 345, 490)], [_at(1, 350)], [_at(1, 355)]]
    back = [[_at(3, 358 + i)] for i in range(20)]
    assert len(_kind(_run(_config(FENCE), a + flicker + back), "intrusion")) == 1


def test_a_graze_that_walked_away_does_not_date_a_later_intrusion() -> None:
    # A's foot touches the yard for two frames (under the 0.5 s confirmation) and walks
    # away outside it; a second later B walks in 1.5 m away: B's intrusion starts when B
    # stepped in, not when A grazed the edge
    graze = [[_at(1, 300 + 20 * i, 110 - 20 * abs(i - 1))] for i in range(3)]
    away = [[_at(1, 360 + 20 * i, 60)] for i in range(10)]
    gone: list[list[Track]] = [[]] * 5
    walk_in = [[_at(2, 60 + 20 * i, 250)] for i in range(15)]  # in at x = 100 (frame 20)
    intrusions = _kind(_run(_config(FENCE), graze + away + gone + walk_in), "intrusion")
    assert len(intrusions) == 1
    assert intrusions[0].started_at == START + timedelta(seconds=2.0)


def test_a_new_track_that_takes_over_a_counted_walker_is_not_counted_again() -> None:
    # a walker crosses the gate obliquely and is counted; moments later its box is cut to
    # the upper half (its foot jumps 1.5 m) and a new track is born at its feet, 0.4 m past
    # the line and 1 m on from where it was counted, walking on: the new track goes on with
    # the counted walker, on the side they reached
    walk = [[_at(1, 800 + 5 * i, 100 + 15 * i)] for i in range(29)]  # counted at x = 920
    cut = [[_at(1, 940 + 5 * k, 385 + 15 * k), _at(2, 940 + 5 * k, 535 + 15 * k)] for k in range(8)]
    crossings = _kind(_run(_config(COUNT), walk + cut), "line_crossing")
    assert [e.direction for e in crossings] == ["in"]


def test_a_second_box_that_opens_a_place_with_a_loiterer_and_drifts_off_is_one_loiterer() -> None:
    # A stands at x = 300 for 8 s; 0.3 s after A's place opens, a second box on A (its foot
    # misplaced 0.6 m in depth) opens a second one, and drifts to 1.3 m off A's foot, where
    # nobody stands: both places last the dwell, but they are one person's
    a = [_at(1, 300) for _ in range(80)]
    second: list[list[Track]] = [[] for _ in range(3)]
    second += [[_at(2, 300, 460 + 10 * min(i, 7))] for i in range(77)]
    frames = [[a[i], *second[i]] for i in range(80)]
    assert len(_kind(_run(_config(LOITER), frames), "loitering")) == 1


def test_a_stay_whose_id_jumps_out_of_the_zone_goes_on_with_a_track_where_it_was() -> None:
    # A walks 2.4 m into the yard and is reported; then the tracker gives A's id to someone
    # 4.6 m away outside the yard (no walker gets there in a frame), who walks on, while A,
    # unseen for 4 s, is found again 0.5 m from where A's id left: one intrusion
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)]  # in at x = 100, on to x = 340
    away = [[_at(1, 800 + 10 * i, 500)] for i in range(40)]
    back = [[_at(1, 1200, 500), _at(2, 390 + i)] for i in range(20)]
    assert len(_kind(_run(_config(FENCE), walk + away + back), "intrusion")) == 1


def test_a_track_that_walks_out_of_the_zone_keeps_its_stay_from_a_newcomer() -> None:
    # as above, but A's track, lost at x = 340, is seen 2 s later 2.8 m away outside the yard
    # (a walker gets 3.8 m in 2 s) and walks on: A left. 2 s later someone is found where A
    # was lost: a new intrusion
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)]
    lost: list[list[Track]] = [[] for _ in range(20)]
    away = [[_at(1, 60 - 10 * i)] for i in range(20)]
    back = [[_at(1, -150), _at(2, 360 + i)] for i in range(20)]
    assert len(_kind(_run(_config(FENCE), walk + lost + away + back), "intrusion")) == 2


def test_someone_who_walks_in_while_an_intruder_was_still_seen_is_a_second_intrusion() -> None:
    # A stands 0.8 m inside the yard's edge and is reported, then lost (hidden); B, tracked
    # outside all along, walks in 2 s later 0.8 m from where A was lost: B is someone else
    a = [_at(1, 180 + (i % 3)) for i in range(20)]
    b = [_at(2, -140 + 10 * i) for i in range(60)]  # crosses the edge (x = 100) at frame 24
    frames = [[a[i], b[i]] if i < 20 else [b[i]] for i in range(60)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 2


def test_someone_who_walks_in_where_an_intruder_stood_still_is_a_second_intrusion() -> None:
    # A stands 0.8 m inside the edge, is reported and lost (standing still); 4 s later B, first
    # seen after A was lost, walks in across the edge 0.8 m from A's spot: B did not stand
    # there, B came from outside
    a = [[_at(1, 180 + (i % 3))] for i in range(20)]
    gone: list[list[Track]] = [[] for _ in range(10)]
    b = [[_at(2, -100 + 7 * i)] for i in range(50)]  # crosses the edge at frame 59
    assert len(_kind(_run(_config(FENCE), a + gone + b), "intrusion")) == 2


def test_an_intruder_who_steps_out_and_back_under_a_new_id_is_one_intrusion() -> None:
    # A stands 0.3 m inside the edge and is reported; A's track is lost, and A, seen again
    # under a new id just outside the edge half a second later, steps back in: one stay
    a = [[_at(1, 130 + (i % 3))] for i in range(20)]
    gone: list[list[Track]] = [[] for _ in range(4)]
    back = [[_at(2, 80 + 5 * i)] for i in range(20)]
    assert len(_kind(_run(_config(FENCE), a + gone + back), "intrusion")) == 1


def test_a_foot_that_jumps_into_the_zone_at_the_back_of_a_scene_did_not_walk_in() -> None:
    # at the back of a scene one image row is 5 cm of depth. A stands 1.5 m inside the yard's
    # back edge, is reported and lost (standing still); 4 s later a box is found on A with
    # its foot cut short, 10 cm beyond the edge, and whole the next frame, where A stood: a
    # jump of 30 rows (1.5 m), not a step from outside, so A goes on (one intrusion)
    a = [[_at(1, 300 + (i % 3), 130)] for i in range(20)]
    gone: list[list[Track]] = [[] for _ in range(40)]
    back = [[_at(2, 300, 98)]] + [[_at(2, 300 + (i % 3), 128)] for i in range(20)]
    frames = a + gone + back
    assert len(_kind(_run(_config(FENCE, depth_per_px=0.05), frames), "intrusion")) == 1


def test_a_track_born_near_the_line_that_walks_across_it_is_counted() -> None:
    # a track is born one box width before the gate (inside the 1.5 widths where a track
    # walking away from a line is taken to have crossed it as it was born) and walks across
    # it: its side at birth is known, so it crossed, once
    frames = [[_at(1, 850 + 15 * i)] for i in range(10)]
    crossings = _kind(_run(_config(COUNT), frames), "line_crossing")
    assert [e.direction for e in crossings] == ["in"]


def test_someone_who_steps_in_and_is_lost_there_is_an_intrusion() -> None:
    # A walks into the yard from outside; 0.3 s after stepping in (under the 0.5 s
    # confirmation) A's track is lost and never seen leaving: A is in the yard, reported
    # once the exit gap has passed, from when A stepped in
    walk = [[_at(1, 20 + 20 * i)] for i in range(8)]  # in at x = 100 (frame 4), lost after 140
    gone: list[list[Track]] = [[] for _ in range(40)]
    intrusions = _kind(_run(_config(FENCE), walk + gone), "intrusion")
    assert len(intrusions) == 1
    assert intrusions[0].started_at == START + timedelta(seconds=0.4)


def test_a_box_that_flickers_in_the_zone_without_walking_in_is_no_intrusion() -> None:
    # a box shows in the yard for 0.3 s and is gone (no step in from outside): nothing
    flicker = [[_at(1, 300)] for _ in range(3)]
    gone: list[list[Track]] = [[] for _ in range(40)]
    assert _kind(_run(_config(FENCE), flicker + gone), "intrusion") == []


def _pacing(track_id: int, i: int, y: float, x: float = 300.0) -> Track:
    """A slow pacer (0.3 m/s) walking 0.6 m to and fro along x."""
    step = i % 40
    return _at(track_id, x + 3 * (step if step < 20 else 40 - step), y)


def test_two_pacers_1_1_m_apart_keep_their_places_when_a_foot_lands_between_them() -> None:
    # A paces from frame 0, B from frame 25, 1.1 m behind A. At 4 s the tracker swaps their
    # ids and A's foot lands 0.8 m towards B, while B steps 0.5 m back; it stays so. Taken
    # pair by pair from the nearest, A's foot takes B's place (0.3 m away) and B opens a new
    # one: A's stay is lost and B's restarts. Jointly, both keep their own: two loiterers
    frames = []
    for i in range(85):
        a_y, b_y = (400.0, 510.0) if i < 40 else (480.0, 560.0)
        ids = (1, 2) if i < 40 else (2, 1)
        tracks = [_pacing(ids[0], i, a_y)]
        if i >= 25:
            tracks.append(_pacing(ids[1], i, b_y))
        frames.append(tracks)
    frames += [[] for _ in range(20)]
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert sorted(e.started_at for e in loiter) == [START, START + timedelta(seconds=2.5)]


def test_a_new_place_beside_a_pacer_does_not_take_the_pacer_over() -> None:
    # A paces from frame 0, B from frame 25, 1.1 m behind A. At 4 s the tracker swaps their
    # ids and for one frame A's blob gives a second box 0.55 m towards B (a new place); then
    # A's foot sits 0.4 m from A's place and 0.15 m from the new one. A's place, kept for
    # seconds, keeps A: the new one is a second box, not someone whose stay began then
    frames = []
    for i in range(85):
        a_y = 400.0 if i <= 40 else 440.0
        ids = (1, 2) if i < 40 else (2, 1)
        tracks = [_pacing(ids[0], i, a_y)]
        if i >= 25:
            tracks.append(_pacing(ids[1], i, 510.0))
        if i == 40:
            tracks.append(_pacing(3, i, 455.0))
        frames.append(tracks)
    frames += [[] for _ in range(20)]
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert sorted(e.started_at for e in loiter) == [START, START + timedelta(seconds=2.5)]


def test_a_pacer_lost_a_moment_keeps_their_place_before_one_held_for_someone_who_stood() -> None:
    # A stands deep in the yard for 3 s and is lost: A's place is held. B paces 1.1 m behind
    # A from 2 s, is lost for 1 s and seen again 0.6 m from A's spot (the edge of a held
    # place's 0.8 m reach) and 0.7 m from where B was lost (well within 1.2 m): B goes on
    # with B's own stay (from 2 s), not with A's (from 0 s); A stayed 3 s and did not loiter
    frames: list[list[Track]] = [[_at(1, 300 + (i % 2), 400)] for i in range(30)]
    frames += [[] for _ in range(70)]
    for i in range(20, 50):
        frames[i].append(_at(2, 349 + (i % 2), 510))
    for i in range(60, 100):
        frames[i].append(_at(2, 300 + (i % 2), 460))
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert [e.started_at for e in loiter] == [START + timedelta(seconds=2.0)]


def test_a_foot_misplaced_for_a_frame_does_not_move_a_loiterer_to_a_new_place() -> None:
    # A stands in the yard; at 3 s A's box is missed for a frame, then its foot lands 1.3 m
    # off for one (out of reach: a new place opens there), then 0.4 m from where A stood and
    # 0.9 m from the new place. A's place, lost a moment, keeps A before a place that new:
    # one stay from the start
    frames: list[list[Track]] = [[_at(1, 300 + (i % 4))] for i in range(30)]
    frames += [[], [_at(1, 300, 530)]]
    frames += [[_at(1, 300 + (i % 4), 440)] for i in range(60)]
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert [e.started_at for e in loiter] == [START]


def test_a_track_that_begins_a_new_stay_leaves_the_reported_one_to_its_second_box() -> None:
    # A walks in (id 1) and is reported; a second box on A (id 2) goes on with A's stay. Id 1
    # then walks out 2 m and, 4 s later, back in: a new stay, reported from when it stepped
    # back in, while A's second box, in the yard all along, is not reported a second time
    walk = [[_at(1, 60 + 10 * i)] for i in range(25)]  # in at x = 100 (frame 4)
    stays = [_at(2, 305 + (i % 3)) for i in range(140)]
    for i in range(20, 25):
        walk[i].append(stays[i - 20])
    out = [[_at(1, 300 - 10 * k), stays[5 + k]] for k in range(40)]  # out at frame 45
    away = [[_at(1, -100), stays[45 + k]] for k in range(40)]
    back = [[_at(1, -100 + 10 * k), stays[85 + k]] for k in range(30)]  # in at frame 125
    intrusions = _kind(_run(_config(FENCE), walk + out + away + back), "intrusion")
    assert [e.started_at for e in intrusions] == [
        START + timedelta(seconds=0.4),
        START + timedelta(seconds=12.5),
    ]


def test_someone_lost_a_moment_as_they_step_in_beside_an_intruder_walked_in() -> None:
    # A stands 0.5 m inside the yard and is reported; B walks up from outside, 0.6 m beside
    # A's line, is lost for 0.3 s as they pass A's box and found 0.4 m inside: B walked in
    # (a second intrusion), B is not a box on A that was born in the yard
    a = [_at(1, 150 + (i % 2), 400) for i in range(60)]
    b: list[Track | None] = [_at(2, -100 + 10 * i, 460) for i in range(20)]  # out at x = 90
    b += [None] * 3 + [_at(2, 140 + 10 * k, 460) for k in range(37)]
    frames = [[a[i]] + ([b[i]] if b[i] is not None else []) for i in range(60)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 2


def test_someone_tracked_outside_who_steps_in_where_an_intruder_left_is_a_second_one() -> None:
    # A (reported) walks out across the yard's left edge; B, tracked outside 0.7 m from A's
    # path, steps in just as A's track is lost at the edge: B's foot is within 0.8 m of
    # where A was a moment ago, but B was seen elsewhere while A was in the yard
    a = [[_at(1, 300 - 10 * i)] for i in range(20)]  # lost after x = 110
    b = [[_at(2, -60 + 8 * i, 470)] for i in range(40)]  # in at x = 100 (frame 20)
    frames = [a[i] + b[i] if i < 20 else b[i] for i in range(40)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 2


def test_a_box_lost_as_its_person_walks_in_under_a_second_reported_box_is_one_intrusion() -> None:
    # A walks in as two boxes 0.6 m apart in depth (a foot misplaced): one (id 1) is lost
    # 0.2 s after stepping in, never seen leaving; the other (id 2) walks on into the yard and
    # is reported: one person, one intrusion (id 1 is not reported as someone lost in the
    # yard once the exit gap has passed)
    one = [[_at(1, 60 + 10 * i, 400)] for i in range(7)]  # in at x = 100, lost at x = 120
    two = [[_at(2, 40 + 5 * i, 460)] for i in range(60)]  # in at x = 100 (frame 12)
    frames = [one[i] + two[i] if i < 7 else two[i] for i in range(60)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 1


def test_an_id_that_walks_away_and_back_in_on_someone_else_is_a_second_intrusion() -> None:
    # A walks in, is reported and walks out to the left, 0.5 m past the edge, where the track
    # loses A; at once, within the 3 s exit gap, the tracker gives A's id to B, 1.4 m outside,
    # who walks in: B's stay begins when B stepped in
    a = [[_at(1, 60 + 10 * i)] for i in range(20)]  # in at x = 100 (frame 4), to x = 250
    out = [[_at(1, 250 - 20 * k)] for k in range(11)]  # out at frame 28, to x = 50
    b = [[_at(1, -40 + 10 * k)] for k in range(25)]  # B: in at x = 100 (frame 45)
    intrusions = _kind(_run(_config(FENCE), a + out + b), "intrusion")
    assert [e.started_at for e in intrusions] == [
        START + timedelta(seconds=0.4),
        START + timedelta(seconds=4.5),
    ]


def test_a_new_track_where_a_reported_one_jumped_off_goes_on_with_its_stay() -> None:
    # A and B walk in and are reported, and stand 1.6 m apart; the tracker gives A's id to B
    # (it jumps 1.6 m in a frame, B's own id ends) and A goes on under a new id where A
    # stood: still two intruders, no third
    a = [_at(1, 60 + 20 * i) for i in range(15)] + [_at(1, 340) for _ in range(25)]
    b = [_at(2, 60 + 20 * i, 560) for i in range(15)] + [_at(2, 340, 560) for _ in range(25)]
    frames = [[a[i], b[i]] for i in range(40)]
    frames += [[_at(1, 340, 560), _at(3, 342)] for _ in range(20)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 2


def test_a_held_place_taken_up_in_glimpses_does_not_loiter() -> None:
    # A stands 0.6 m inside the yard's edge for 2 s and is lost (the place is held); 4 s later
    # a walker's box glimpses A's spot for a frame at a time, 0.4 s apart, over 1.2 s: not A
    # kept there again
    frames: list[list[Track]] = [[_at(1, 160 + (i % 2))] for i in range(20)]
    frames += [[] for _ in range(40)]
    frames += [[_at(2, 170, 440)] if i % 4 == 0 else [] for i in range(13)]
    frames += [[] for _ in range(20)]
    assert _kind(_run(_config(LOITER), frames), "loitering") == []


def test_an_intruder_who_paces_on_unseen_for_4_s_is_one_intrusion() -> None:
    # walks in and paces at 0.5 m/s; lost 4 s behind a pillar (longer than the 3 s exit gap),
    # they come out under a new id 1.8 m from where they were lost: still the one intruder
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)] + [[_at(1, 345 + 5 * i)] for i in range(10)]
    frames = walk + [[]] * 40 + [[_at(2, 570 + 5 * i)] for i in range(20)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 1


def test_a_stay_carried_out_by_someone_who_met_its_loiterer_goes_on_with_the_loiterer() -> None:
    # A stands in the yard from 0 s; B comes in at 6 s 1.5 m behind A, and at 8 s steps up to
    # 0.6 m behind A. For 0.3 s their boxes merge into one, between them. When they part, the
    # tracker has swapped them: B's box is where A stood and walks out to the left (1.3 m/s),
    # and A's is where B was. A's place goes with B's foot, B's with A's: A's stay (from 0 s,
    # unreported at a 12 s dwell) walks out, and A, who stays to 20 s, would be reported from
    # when B came. The place that walked out met B's place as their boxes merged: A goes on
    # with A's stay, reported once, from 0 s
    frames: list[list[Track]] = [[_at(1, 300 + (i % 4), 400)] for i in range(80)]
    for i in range(60, 80):
        frames[i].append(_at(2, 300 + (i % 4), 550))
    frames += [[_at(1, 300 + (i % 4), 400), _at(2, 300 + (i % 4), 460)] for i in range(5)]
    frames += [[_at(1, 300 + (i % 4), 420)] for i in range(3)]  # one box on the two
    for k in range(30):
        frames.append([_at(2, 300 - 13 * k, 400), _at(1, 300 + (k % 4), 460)])
    frames += [[_at(1, 300 + (k % 4), 460)] for k in range(80)]
    loiter = _kind(_run(_config({**LOITER, "dwell_s": 12}), frames), "loitering")
    assert [e.started_at for e in loiter] == [START]


def test_a_short_stay_that_walks_out_past_a_loiterer_seen_apart_hands_them_nothing() -> None:
    # N paces the yard from 0 s; L comes in at 6 s and stays to 25 s. At 9 s N walks out to
    # the left past L, 0.5 m in front of them, both seen all the while: nobody swapped, and N's
    # stay (kept 9 s, unreported at a 12 s dwell) ends with N. L is reported from 6 s
    frames: list[list[Track]] = [[_at(2, 300 + (i % 4), 400)] for i in range(90)]
    for i in range(60, 90):
        frames[i].append(_at(1, 300 + (i % 4), 450))
    for k in range(30):
        frames.append([_at(2, 300 - 13 * k, 400), _at(1, 300 + (k % 4), 450)])
    frames += [[_at(1, 300 + (k % 4), 450)] for k in range(130)]
    loiter = _kind(_run(_config({**LOITER, "dwell_s": 12}), frames), "loitering")
    assert [e.started_at for e in loiter] == [START + timedelta(seconds=6)]


def test_a_glimpse_deep_in_the_zone_does_not_hold_a_place_for_a_later_loiterer() -> None:
    # A passer-by's foot is seen deep in the yard for two frames and lost. At 5 s a loiterer
    # comes to stand 0.3 m from there. A place kept for a glimpse is nobody standing still:
    # it closes after the exit gap, and the loiterer's stay begins when they came (held open,
    # it was taken up by the loiterer, who was reported from the glimpse)
    frames: list[list[Track]] = [[_at(1, 400, 400)] for _ in range(2)]
    frames += [[] for _ in range(48)]
    frames += [[_at(2, 400 + (i % 4), 430)] for i in range(100)]
    loiter = _kind(_run(_config(LOITER), frames), "loitering")
    assert [e.started_at for e in loiter] == [START + timedelta(seconds=5)]


def test_a_second_box_listed_before_its_person_back_from_a_moment_lost_is_one_intrusion() -> None:
    # A walks in and is reported, is lost for 1 s and comes back under its id; in that frame
    # the tracker lists first a second box on A, 0.3 m off: it sees A where A stands now
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)]  # in at x = 100, to x = 340
    frames = walk + [[]] * 10 + [[_at(2, 370), _at(1, 340)] for _ in range(20)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 1


def test_a_reported_intruder_lost_near_the_edge_and_found_again_is_one_intrusion() -> None:
    # A walks 0.3 m into the yard and is reported; the detector loses A there (never seen
    # leaving) for 4 s, and finds A again under a new id 0.2 m from where A was lost
    walk = [[_at(1, 60 + 10 * i)] for i in range(8)]  # in at x = 100, to x = 130
    frames = walk + [[_at(1, 130)]] * 12 + [[]] * 40 + [[_at(2, 150)] for _ in range(20)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 1


def test_a_second_box_mostly_inside_a_reported_intruders_box_is_the_same_intrusion() -> None:
    # A walks in and is reported; the blob detector boxes A's legs apart (a box mostly inside
    # A's, its foot 1.2 m off A's on the foreshortened ground at the back of the scene)
    config = _config(FENCE, depth_per_px=0.05)
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)]  # in at x = 100, to x = 340
    legs = Track(2, "person", (320.0, 300.0, 360.0, 376.0))
    frames = walk + [[_at(1, 340), legs] for _ in range(20)]
    assert len(_kind(_run(config, frames), "intrusion")) == 1


def test_a_track_in_reach_of_a_lost_reported_intruder_and_a_glimpse_goes_on_with_the_intruder():
    # A walks in and is reported at x = 340; a box glances into the yard 1.4 m off A for one
    # frame (id 3) as A is lost; 0.2 s later a new track (id 4) appears 1.2 m from A, 0.2 m
    # from the glimpse: it goes on with A (the glimpse confirms no one), no second intrusion
    walk = [[_at(1, 60 + 20 * i)] for i in range(15)] + [[_at(1, 340)]] * 5
    frames = walk + [[_at(3, 480)], []] + [[_at(4, 460)] for _ in range(20)]
    assert len(_kind(_run(_config(FENCE), frames), "intrusion")) == 1
