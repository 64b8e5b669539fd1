"""The transparency-log maths and formats, with no database: RFC 9162 roots and proofs against
a direct transcription of the definitions, tiles, signed notes, cosignatures; and any single
changed byte of a proof or a checkpoint makes it fail."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.governance import tlog

LOG = tlog.Signer.from_seed("vigil.test/audit", bytes(range(32)))
OTHER = tlog.Signer.from_seed("vigil.test/audit", bytes(32))
WITNESS = tlog.Signer.from_seed(
    "oversight.test/w1", hashlib.sha256(b"w").digest(), tlog.SIG_COSIGNATURE_V1
)
LEAVES = [tlog.leaf_hash(f"entry {i}".encode()) for i in range(600)]


def mth(leaves: list[bytes]) -> bytes:
    """MTH of RFC 9162 §2.1.1, as written there."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return tlog.node_hash(mth(leaves[:k]), mth(leaves[k:]))


def direct(a: int, b: int) -> bytes:
    return mth(LEAVES[a:b])


def tiles_of(leaves: list[bytes], chunks: list[int]) -> dict[tuple[int, int], bytes]:
    tiles: dict[tuple[int, int], bytes] = {}
    size = 0
    for n in chunks:
        batch = leaves[size : size + n]
        tiles.update(tlog.integrate_tiles(size, batch, lambda lv, ix: tiles.get((lv, ix), b"")))
        size += len(batch)
    return tiles


def test_known_hashes() -> None:
    assert tlog.EMPTY_ROOT.hex().startswith("e3b0c44298fc1c14")
    assert tlog.leaf_hash(b"").hex().startswith("6e340b9cffb37a98")  # SHA-256(0x00)
    assert tlog.root_of([]) == tlog.EMPTY_ROOT


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 31, 64, 100])
def test_root_inclusion_and_consistency_match_the_definitions(size: int) -> None:
    leaves = LEAVES[:size]
    root = mth(leaves)
    assert tlog.root_of(leaves) == root
    for index in range(size):
        proof = tlog.inclusion_proof(index, size, direct)
        assert tlog.verify_inclusion(index, size, leaves[index], proof, root)
        assert not tlog.verify_inclusion(index, size, LEAVES[size], proof, root)
        if size > 1:
            assert not tlog.verify_inclusion(index, size, leaves[index], proof[:-1], root)
    for old in range(size + 1):
        proof = tlog.consistency_proof(old, size, direct)
        assert tlog.verify_consistency(old, size, mth(LEAVES[:old]), root, proof)
        if 0 < old < size:
            assert not tlog.verify_consistency(old, size, mth(LEAVES[1 : old + 1]), root, proof)
            assert not tlog.verify_consistency(
                old, size, mth(LEAVES[:old]), mth(LEAVES[1 : size + 1]), proof
            )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 300), min_size=1, max_size=8))
def test_tiles_grown_in_any_batches_give_the_same_tree(chunks: list[int]) -> None:
    tiles = tiles_of(LEAVES, chunks)
    size = min(sum(chunks), len(LEAVES))
    subtree = tlog.tile_subtree_hasher(lambda lv, ix: tiles.get((lv, ix), b""))
    assert subtree(0, size) == mth(LEAVES[:size])
    for index in {0, size // 3, size - 1}:
        assert tlog.inclusion_proof(index, size, subtree) == tlog.inclusion_proof(
            index, size, direct
        )


BIG = [tlog.leaf_hash(i.to_bytes(4, "big")) for i in range(256 * 256 + 300)]
BIG_TILES = tiles_of(BIG, [len(BIG)])


@settings(max_examples=150, deadline=None)
@given(st.integers(2, len(BIG)), st.data())
def test_a_proof_reads_only_the_tiles_it_prefetches(size: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, size - 1))
    old = data.draw(st.integers(1, size))
    allowed = tlog.proof_tiles(size, index) | tlog.proof_tiles(size, old - 1)
    seen: set[tuple[int, int]] = set()

    def get(level: int, idx: int) -> bytes:
        seen.add((level, idx))
        return BIG_TILES.get((level, idx), b"")

    subtree = tlog.tile_subtree_hasher(get)
    tlog.inclusion_proof(index, size, subtree)
    tlog.consistency_proof(old, size, subtree)
    assert seen <= allowed


def test_tiles_reach_a_second_level() -> None:
    leaves = [tlog.leaf_hash(i.to_bytes(4, "big")) for i in range(256 * 256 + 300)]
    tiles = tiles_of(leaves, [70_000])
    assert {lv for lv, _ in tiles} == {0, 1, 2}
    subtree = tlog.tile_subtree_hasher(lambda lv, ix: tiles[(lv, ix)])
    assert subtree(0, len(leaves)) == tlog.root_of(leaves)


def test_signed_note_round_trip_and_key_format() -> None:
    body = tlog.Checkpoint("vigil.test/audit", 5, LEAVES[0]).body()
    note = tlog.sign_note(body, LOG)
    assert note.startswith(body + "\n\u2014 vigil.test/audit ")
    assert tlog.open_checkpoint(note, LOG.verifier) == tlog.Checkpoint(
        "vigil.test/audit", 5, LEAVES[0]
    )
    vkey = LOG.verifier.vkey()
    assert tlog.Verifier.from_vkey(vkey) == LOG.verifier
    _, key_id, material = vkey.split("+", 2)
    raw = base64.b64decode(material)
    assert (
        raw[0] == 0x01 and key_id == hashlib.sha256(b"vigil.test/audit\n" + raw).digest()[:4].hex()
    )
    with pytest.raises(tlog.NoteError):
        tlog.open_checkpoint(note, OTHER.verifier)  # same name, other key


def test_cosignature_commits_to_the_checkpoint_and_time() -> None:
    note = tlog.sign_note(tlog.Checkpoint("vigil.test/audit", 9, LEAVES[1]).body(), LOG)
    line = tlog.cosign(note, WITNESS, 1_700_000_000).line()
    assert tlog.verify_cosignature(note + line, WITNESS.verifier) == 1_700_000_000
    assert tlog.open_checkpoint(note + line, LOG.verifier).size == 9
    other = tlog.sign_note(tlog.Checkpoint("vigil.test/audit", 10, LEAVES[1]).body(), LOG)
    with pytest.raises(tlog.NoteError):
        tlog.verify_cosignature(other + line, WITNESS.verifier)


# --- any changed byte fails ---------------------------------------------------------------

SIZE = 37
ENTRIES = [
    {
        "seq": i + 1,
        "at": "2026-12-06T12:00:00+00:00",
        "actor": "user:a",
        "organisation": "Agency",
        "action": "consult",
        "object_type": "person",
        "object_id": str(i),
        "purpose": "investigation",
        "legal_basis": "case:1",
        "recipient": None,
        "outcome": "ok",
        "detail": {"n": "测试"},
    }
    for i in range(SIZE)
]
ENTRY_LEAVES = [tlog.entry_leaf(e) for e in ENTRIES]


def _subtree(a: int, b: int) -> bytes:
    return mth(ENTRY_LEAVES[a:b])


def _checkpoint(size: int) -> str:
    return tlog.sign_note(
        tlog.Checkpoint("vigil.test/audit", size, mth(ENTRY_LEAVES[:size])).body(), LOG
    )


def _inclusion(index: int) -> dict[str, Any]:
    return tlog.proof_document(
        "inclusion",
        tlog.inclusion_proof(index, SIZE, _subtree),
        _checkpoint(SIZE),
        leaf_index=index,
        tree_size=SIZE,
    )


def _consistency(old: int) -> dict[str, Any]:
    document = tlog.proof_document(
        "consistency",
        tlog.consistency_proof(old, SIZE, _subtree),
        _checkpoint(SIZE),
        old_size=old,
        new_size=SIZE,
    )
    document["old_checkpoint"] = _checkpoint(old)
    return document


def _mutated(document: dict[str, Any], position: int, value: int) -> bytes:
    raw = bytearray(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())
    position %= len(raw)
    if raw[position] == value:
        value = (value + 1) % 256
    raw[position] = value
    return bytes(raw)


def _accepts(raw: bytes, check: Any) -> bool:
    try:
        return bool(check(json.loads(raw.decode())))
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
        return False


def test_unchanged_proofs_verify() -> None:
    for index in range(SIZE):
        assert tlog.check_inclusion_document(_inclusion(index), ENTRIES[index], LOG.verifier)
    for old in range(1, SIZE):
        assert tlog.check_consistency_document(_consistency(old), LOG.verifier)
    assert not tlog.check_inclusion_document(_inclusion(3), ENTRIES[4], LOG.verifier)
    assert not tlog.check_inclusion_document(_inclusion(3), ENTRIES[3], OTHER.verifier)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, SIZE - 1), st.integers(0, 10**6), st.integers(0, 255))
def test_any_changed_byte_of_an_inclusion_proof_fails(
    index: int, position: int, value: int
) -> None:
    raw = _mutated(_inclusion(index), position, value)
    assert not _accepts(
        raw, lambda doc: tlog.check_inclusion_document(doc, ENTRIES[index], LOG.verifier)
    )


@settings(max_examples=300, deadline=None)
@given(st.integers(1, SIZE - 1), st.integers(0, 10**6), st.integers(0, 255))
def test_any_changed_byte_of_a_consistency_proof_fails(old: int, position: int, value: int) -> None:
    raw = _mutated(_consistency(old), position, value)
    assert not _accepts(raw, lambda doc: tlog.check_consistency_document(doc, LOG.verifier))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 255))
def test_any_changed_byte_of_a_checkpoint_fails(position: int, value: int) -> None:
    note = bytearray(_checkpoint(SIZE).encode())
    position %= len(note)
    note[position] = value if note[position] != value else (value + 1) % 256
    try:
        opened = tlog.open_checkpoint(note.decode(), LOG.verifier)
    except (tlog.NoteError, UnicodeDecodeError):
        return
    pytest.fail(f"a changed checkpoint still opened: {opened}")


def test_every_byte_of_one_proof_and_checkpoint() -> None:
    """Exhaustively, for one proof: each byte replaced by one other value fails."""
    document = _inclusion(11)
    size = len(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())
    for position in range(size):
        raw = _mutated(document, position, 0x41)
        assert not _accepts(
            raw, lambda doc: tlog.check_inclusion_document(doc, ENTRIES[11], LOG.verifier)
        ), position


def test_export_check_names_the_first_bad_entry() -> None:
    lines = [
        json.dumps(
            {
                "checkpoint": {
                    "size": SIZE,
                    "root": mth(ENTRY_LEAVES).hex(),
                    "note": _checkpoint(SIZE),
                }
            }
        )
    ]
    lines += [
        json.dumps({**e, "hash": leaf.hex()}) for e, leaf in zip(ENTRIES, ENTRY_LEAVES, strict=True)
    ]
    assert tlog.verify_export(lines, LOG.verifier).intact
    edited = json.loads(lines[6])
    edited["outcome"] = "refused"
    bad = tlog.verify_export([*lines[:6], json.dumps(edited), *lines[7:]], LOG.verifier)
    assert (bad.first_bad_seq, bad.problem) == (6, tlog.Problem.EDITED)
    cut = tlog.verify_export(lines[:-3], LOG.verifier)
    assert (cut.first_bad_seq, cut.problem) == (SIZE - 2, tlog.Problem.TRUNCATED)


def _export_lines(entries: list[dict[str, Any]]) -> list[str]:
    leaves = [tlog.entry_leaf(e) for e in entries]
    note = tlog.sign_note(
        tlog.Checkpoint("vigil.test/audit", len(entries), mth(leaves)).body(), LOG
    )
    head = {"checkpoint": {"size": len(entries), "root": mth(leaves).hex(), "note": note}}
    return [json.dumps(head)] + [
        json.dumps({**e, "hash": leaf.hex()}) for e, leaf in zip(entries, leaves, strict=True)
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, SIZE),
    st.sampled_from(["edit", "edit-rehash", "delete", "swap"]),
    st.sampled_from([f for f in tlog.ENTRY_FIELDS if f != "seq"]),
)
def test_any_tampered_entry_of_an_export_is_named(victim: int, how: str, column: str) -> None:
    lines = _export_lines(ENTRIES)
    docs = [json.loads(line) for line in lines[1:]]
    if how == "swap":
        victim = min(victim, SIZE - 1)
        a, b = docs[victim - 1], docs[victim]
        docs[victim - 1], docs[victim] = {**b, "seq": a["seq"]}, {**a, "seq": b["seq"]}
        expected = (victim, tlog.Problem.REORDERED)
    elif how == "delete":
        del docs[victim - 1]
        expected = (
            (victim, tlog.Problem.MISSING) if victim < SIZE else (victim, tlog.Problem.TRUNCATED)
        )
    else:
        docs[victim - 1][column] = "tampered"
        if how == "edit-rehash":  # the hash made to match: only the signed root disagrees
            docs[victim - 1]["hash"] = tlog.entry_leaf(docs[victim - 1]).hex()
            expected = (1, tlog.Problem.EDITED)
        else:
            expected = (victim, tlog.Problem.EDITED)
    report = tlog.verify_export([lines[0], *map(json.dumps, docs)], LOG.verifier)
    assert (report.first_bad_seq, report.problem) == expected
