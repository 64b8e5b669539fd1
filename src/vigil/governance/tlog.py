"""Transparency-log maths and formats, with no database: anyone holding an export, a proof and
a checkpoint can check them with this one file (it needs only the standard library and
`cryptography`).

- Merkle tree of RFC 9162 §2.1: leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ l ‖ r);
  inclusion and consistency proofs (§2.1.3, §2.1.4) and their verification.
- Tiles as in C2SP tlog-tiles: tile (L, N) holds the hashes at tree level 8·L of the nodes
  256·N … 256·N+255, so any node is a few hashes up from one tile.
- Checkpoints (C2SP tlog-checkpoint) in signed notes (C2SP signed-note, Ed25519), and witness
  cosignatures (C2SP tlog-cosignature, `cosignature/v1`).
- The entry encoding: canonical JSON (sorted keys, no spaces, UTF-8) of an entry's fields,
  `hash` excluded; and the checks that name the first bad entry of a log."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HASH_SIZE = 32
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
EMPTY_ROOT = hashlib.sha256(b"").digest()

SubtreeHash = Callable[[int, int], bytes]  # (start, end) -> MTH of leaves [start, end)
TileGetter = Callable[[int, int], bytes]  # (tile level, tile index) -> concatenated hashes


# --- Merkle tree (RFC 9162 §2.1) ------------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class CompactRange:
    """The right edge of a growing tree: one perfect subtree per set bit of its size."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), largest first

    def append(self, leaf: bytes) -> None:
        node, height = leaf, 0
        while self._stack and self._stack[-1][0] == height:
            node = node_hash(self._stack.pop()[1], node)
            height += 1
        self._stack.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def root_of(leaves: Iterable[bytes]) -> bytes:
    compact = CompactRange()
    for leaf in leaves:
        compact.append(leaf)
    return compact.root()


def inclusion_proof(index: int, size: int, subtree: SubtreeHash) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 §2.1.3.1, deepest sibling first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    proof: list[bytes] = []

    def path(m: int, start: int, end: int) -> None:
        n = end - start
        if n == 1:
            return
        k = _split(n)
        if m < k:
            path(m, start, start + k)
            proof.append(subtree(start + k, end))
        else:
            path(m - k, start + k, end)
            proof.append(subtree(start, start + k))

    path(index, 0, size)
    return proof


def consistency_proof(old_size: int, new_size: int, subtree: SubtreeHash) -> list[bytes]:
    """PROOF(old, D[new]) of RFC 9162 §2.1.4.1."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    proof: list[bytes] = []

    def subproof(m: int, start: int, end: int, whole: bool) -> None:
        n = end - start
        if m == n:
            if not whole:
                proof.append(subtree(start, end))
            return
        k = _split(n)
        if m <= k:
            subproof(m, start, start + k, whole)
            proof.append(subtree(start + k, end))
        else:
            subproof(m - k, start + k, end, False)
            proof.append(subtree(start, start + k))

    subproof(old_size, 0, new_size, True)
    return proof


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


# --- Tiles ----------------------------------------------------------------------------------


def tile_subtree_hasher(get_tile: TileGetter) -> SubtreeHash:
    """MTH of any leaf range, read from tiles (each tile fetched once per hasher)."""
    cache: dict[tuple[int, int], bytes] = {}

    def tile(level: int, index: int) -> bytes:
        key = (level, index)
        if key not in cache:
            cache[key] = get_tile(level, index)
        return cache[key]

    def perfect(height: int, index: int) -> bytes:
        tile_level, within = divmod(height, TILE_HEIGHT)
        first = index << within
        tile_index, offset = divmod(first, TILE_WIDTH)
        data = tile(tile_level, tile_index)
        width = 1 << within
        if len(data) < (offset + width) * HASH_SIZE:
            raise LookupError(f"tile {tile_level}/{tile_index} lacks node {offset + width - 1}")
        nodes = [data[i * HASH_SIZE : (i + 1) * HASH_SIZE] for i in range(offset, offset + width)]
        while len(nodes) > 1:
            nodes = [node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes), 2)]
        return nodes[0]

    def subtree(start: int, end: int) -> bytes:
        n = end - start
        if n <= 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and start % n == 0:
            height = n.bit_length() - 1
            return perfect(height, start >> height)
        k = _split(n)
        return node_hash(subtree(start, start + k), subtree(start + k, end))

    return subtree


def proof_tiles(size: int, *leaves: int) -> set[tuple[int, int]]:
    """The tiles that a proof about these leaf indexes in a tree of `size` reads: at each
    tile level, the tile over each leaf's ancestor and the one over the right edge (the
    siblings on a path share the tile of its node; the right edge's pieces share the tile of
    the last leaf)."""
    keys: set[tuple[int, int]] = set()
    level = 0
    while level == 0 or (size - 1) >> (TILE_HEIGHT * level) > 0:
        shift = TILE_HEIGHT * (level + 1)
        keys.update((level, i >> shift) for i in (*leaves, size - 1) if 0 <= i < size)
        level += 1
    return keys


def integrate_tiles(
    old_size: int, leaves: Sequence[bytes], get_tile: TileGetter
) -> dict[tuple[int, int], bytes]:
    """The tiles to (re)write when `leaves` join a tree of `old_size`: the partial tile of each
    level is extended, and every tile that fills up adds its root to the level above."""
    writes: dict[tuple[int, int], bytes] = {}
    level, start, hashes = 0, old_size, list(leaves)
    chunk = TILE_WIDTH * HASH_SIZE
    while hashes:
        tile_index, offset = divmod(start, TILE_WIDTH)
        prefix = get_tile(level, tile_index)[: offset * HASH_SIZE] if offset else b""
        if len(prefix) != offset * HASH_SIZE:
            raise LookupError(f"tile {level}/{tile_index} has fewer than {offset} hashes")
        buffer = prefix + b"".join(hashes)
        parents: list[bytes] = []
        for i in range(0, len(buffer), chunk):
            piece = buffer[i : i + chunk]
            writes[(level, tile_index + i // chunk)] = piece
            if len(piece) == chunk:
                parents.append(
                    root_of(piece[j : j + HASH_SIZE] for j in range(0, chunk, HASH_SIZE))
                )
        level, start, hashes = level + 1, tile_index, parents
    return writes


# --- Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint, tlog-cosignature) -----

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04
_DASH = "\u2014 "


class NoteError(ValueError):
    pass


def key_id(name: str, sig_type: int, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")


@dataclass(frozen=True)
class Verifier:
    """A public key under a name: the log's (type 0x01) or a witness's (type 0x04)."""

    name: str
    public_key: bytes
    sig_type: int = SIG_ED25519

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.sig_type, self.public_key)

    def vkey(self) -> str:
        """The C2SP verifier key text: name+hex(key id)+base64(type ‖ public key)."""
        material = base64.b64encode(bytes([self.sig_type]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        try:
            name, hex_id, material = vkey.strip().split("+", 2)
        except ValueError as exc:
            raise NoteError(f"malformed verifier key {vkey!r}") from exc
        raw = b64decode_strict(material)
        _check_name(name)
        verifier = cls(name, raw[1:], raw[0]) if len(raw) == 33 else None
        if verifier is None or verifier.sig_type not in (SIG_ED25519, SIG_COSIGNATURE_V1):
            raise NoteError("verifier key is not an Ed25519 key")
        if verifier.key_id.hex() != hex_id:
            raise NoteError("verifier key id does not match its key")
        return verifier

    def _verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    private_key: Ed25519PrivateKey = field(repr=False)
    sig_type: int = SIG_ED25519

    @classmethod
    def from_seed(cls, name: str, seed: bytes, sig_type: int = SIG_ED25519) -> Signer:
        _check_name(name)
        return cls(name, Ed25519PrivateKey.from_private_bytes(seed), sig_type)

    @property
    def verifier(self) -> Verifier:
        public = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, public, self.sig_type)


def new_seed() -> str:
    """A fresh Ed25519 private key, as base64 of its 32-byte seed."""
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return base64.b64encode(raw).decode()


def b64decode_strict(text: str) -> bytes:
    """Standard base64 in its one canonical spelling (no stray padding bits), so that no
    changed byte decodes to the same value."""
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error as exc:
        raise NoteError("malformed base64") from exc
    if base64.b64encode(raw).decode() != text:
        raise NoteError("non-canonical base64")
    return raw


def _signature_line(name: str, kid: bytes, payload: bytes) -> str:
    return f"{_DASH}{name} {base64.b64encode(kid + payload).decode()}\n"


def sign_note(body: str, signer: Signer) -> str:
    """A signed note: the body (ending in a newline), a blank line, one signature line."""
    _check_body(body)
    signature = signer.private_key.sign(body.encode())
    return body + "\n" + _signature_line(signer.name, signer.verifier.key_id, signature)


@dataclass(frozen=True)
class NoteSignature:
    name: str
    key_id: bytes
    payload: bytes  # after the key id: the signature (with a timestamp for cosignatures)

    def line(self) -> str:
        return _signature_line(self.name, self.key_id, self.payload)


def _check_body(body: str) -> None:
    if not body.endswith("\n") or "\n\n" in body:
        raise NoteError("a note's text ends in one newline and holds no blank line")
    if any(ord(c) < 0x20 and c != "\n" for c in body):
        raise NoteError("a note holds no control characters")


def parse_note(note: str) -> tuple[str, list[NoteSignature]]:
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("no blank line before the signatures")
    body, lines = note[: cut + 1], note[cut + 2 :]
    _check_body(body)
    if not lines.endswith("\n"):
        raise NoteError("signature lines end in a newline")
    signatures: list[NoteSignature] = []
    for line in lines[:-1].split("\n"):
        if not line.startswith(_DASH):
            raise NoteError(f"malformed signature line {line!r}")
        try:
            name, encoded = line[len(_DASH) :].split(" ")
        except ValueError as exc:
            raise NoteError(f"malformed signature line {line!r}") from exc
        raw = b64decode_strict(encoded)
        _check_name(name)
        if len(raw) < 5:
            raise NoteError("signature too short")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    if not signatures:
        raise NoteError("a note has at least one signature")
    return body, signatures


def open_note(note: str, verifier: Verifier) -> str:
    """The note's text, if `verifier` signed it; NoteError otherwise."""
    body, signatures = parse_note(note)
    for sig in signatures:
        if sig.name == verifier.name and sig.key_id == verifier.key_id:
            if verifier._verify(sig.payload, body.encode()):
                return body
            raise NoteError(f"the signature of {verifier.name} does not verify")
    raise NoteError(f"the note is not signed by {verifier.name}")


def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def cosign(note: str, witness: Signer, timestamp: int) -> NoteSignature:
    """A witness's cosignature/v1 line over a checkpoint note's text."""
    if witness.sig_type != SIG_COSIGNATURE_V1:
        raise NoteError("a witness key has signature type 0x04")
    body, _ = parse_note(note)
    signature = witness.private_key.sign(_cosigned_message(body, timestamp))
    return NoteSignature(
        witness.name, witness.verifier.key_id, struct.pack(">Q", timestamp) + signature
    )


def verify_cosignature(note: str, witness: Verifier) -> int:
    """The time at which `witness` cosigned the note's checkpoint; NoteError if it did not."""
    body, signatures = parse_note(note)
    for sig in signatures:
        if sig.name == witness.name and sig.key_id == witness.key_id:
            if len(sig.payload) != 72:
                raise NoteError("a cosignature is a timestamp and a 64-byte signature")
            (timestamp,) = struct.unpack(">Q", sig.payload[:8])
            if witness._verify(sig.payload[8:], _cosigned_message(body, timestamp)):
                return int(timestamp)
            raise NoteError(f"the cosignature of {witness.name} does not verify")
    raise NoteError(f"the note is not cosigned by {witness.name}")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        lines = body.split("\n")
        if len(lines) < 4 or lines[-1] != "":
            raise NoteError("a checkpoint has an origin, a size and a root hash")
        origin, size, root = lines[0], lines[1], lines[2]
        if not (size.isascii() and size.isdigit()) or (size != "0" and size.startswith("0")):
            raise NoteError(f"malformed tree size {size!r}")
        digest = b64decode_strict(root)
        if len(digest) != HASH_SIZE:
            raise NoteError("malformed root hash")
        return cls(origin, int(size), digest, tuple(lines[3:-1]))


def open_checkpoint(note: str, log: Verifier) -> Checkpoint:
    checkpoint = Checkpoint.parse(open_note(note, log))
    if checkpoint.origin != log.name:
        raise NoteError(f"checkpoint of {checkpoint.origin!r}, not of {log.name!r}")
    return checkpoint


# --- Entries and the check of a whole log ---------------------------------------------------

ENTRY_FIELDS = (
    "seq",
    "at",
    "actor",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "legal_basis",
    "recipient",
    "outcome",
    "detail",
)


def canonical_json(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_bytes(document: dict[str, Any]) -> bytes:
    """The leaf's entry: every field but `hash`. Entries written before the Merkle log (by the
    old hash chain) also carry their `prev_hash`, exactly as that chain hashed them."""
    payload = {k: document[k] for k in ENTRY_FIELDS}
    if document.get("prev_hash") is not None:
        payload["prev_hash"] = document["prev_hash"]
    return canonical_json(payload).encode()


def entry_leaf(document: dict[str, Any]) -> bytes:
    return leaf_hash(entry_bytes(document))


class Problem(StrEnum):
    EDITED = "edited"
    MISSING = "missing"
    REORDERED = "reordered"
    TRUNCATED = "tail truncated past checkpoint"
    BAD_CHECKPOINT = "checkpoint signature invalid"
    DIFFERS_FROM_WITNESSED = "differs from the checkpoint kept outside the database"
    UNSEALED = "carries no seal"
    BAD_SEAL = "seal does not hold: forged or edited without the entry key"


@dataclass(frozen=True)
class VerifyReport:
    count: int
    head: str  # root hash (hex) of the tree of the `count` entries checked
    first_bad_seq: int | None = None
    problem: Problem | None = None
    message: str = ""
    checkpoints: int = 0
    pending: int = 0  # entries committed but not yet sequenced (not covered)

    @property
    def intact(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.intact:
            text = f"{self.count} entries, log intact, root {self.head}"
            if self.pending:
                text += f" ({self.pending} awaiting the sequencer)"
            return text
        return f"audit log broken at seq {self.first_bad_seq}: {self.problem}. {self.message}"


@dataclass(frozen=True)
class SignedCheckpoint:
    """A checkpoint as stored or exported: the claimed size and root, and the signed note."""

    size: int
    root: bytes
    note: str


def _moved_from(doc: dict[str, Any], window: int = 1000) -> int | None:
    """If the entry's hash is right under another sequence number, it was moved there."""
    seq = int(doc["seq"])
    for candidate in range(max(1, seq - window), seq + window + 1):
        if candidate != seq and entry_leaf({**doc, "seq": candidate}).hex() == doc["hash"]:
            return candidate
    return None


def verify_entries(
    documents: Iterable[dict[str, Any]],
    checkpoints: Iterable[SignedCheckpoint] = (),
    log: Verifier | None = None,
    tree_leaves: Iterator[bytes] | None = None,
) -> VerifyReport:
    """Check entries in seq order against their own hashes, the stored tree's leaves (if
    given) and the signed checkpoints, naming the first bad entry. With `log` None the
    checkpoints' signatures are not checked."""
    ordered = sorted(checkpoints, key=lambda c: c.size)
    wanted = {c.size for c in ordered}
    roots: dict[int, bytes] = {0: EMPTY_ROOT}
    compact = CompactRange()
    expected = 1
    for doc in documents:
        seq = int(doc["seq"])
        leaf = entry_leaf(doc)

        def report(bad: int, problem: Problem, message: str) -> VerifyReport:
            return VerifyReport(compact.size, compact.root().hex(), bad, problem, message)

        if leaf.hex() != doc["hash"]:
            origin = _moved_from(doc)
            if origin is not None:
                return report(seq, Problem.REORDERED, f"this entry was written as seq {origin}")
            return report(seq, Problem.EDITED, "its content does not match its hash")
        if seq > expected:
            return report(expected, Problem.MISSING, f"entries {expected}..{seq - 1} are gone")
        if seq < expected:
            return report(seq, Problem.REORDERED, f"seq {seq} appears after {expected - 1}")
        if tree_leaves is not None and next(tree_leaves, None) != leaf:
            return report(
                seq, Problem.EDITED, "the entry and its hash differ from the leaf in the tree"
            )
        compact.append(leaf)
        expected += 1
        if compact.size in wanted:
            roots[compact.size] = compact.root()
    count, head = compact.size, compact.root().hex()
    if tree_leaves is not None and next(tree_leaves, None) is not None:
        return VerifyReport(
            count, head, count + 1, Problem.TRUNCATED, "the tree holds leaves past the last entry"
        )
    good = 0
    for cp in ordered:
        if log is not None:
            try:
                signed = open_checkpoint(cp.note, log)
            except NoteError as exc:
                return VerifyReport(count, head, cp.size, Problem.BAD_CHECKPOINT, str(exc))
            if (signed.size, signed.root) != (cp.size, cp.root):
                return VerifyReport(
                    count,
                    head,
                    cp.size,
                    Problem.BAD_CHECKPOINT,
                    f"the stored size or root differ from the signed ones ({signed.size})",
                )
        if cp.size > count:
            return VerifyReport(
                count,
                head,
                count + 1,
                Problem.TRUNCATED,
                f"a checkpoint saw {cp.size} entries, only {count} remain",
            )
        if roots[cp.size] != cp.root:
            return VerifyReport(
                count,
                head,
                good + 1,
                Problem.EDITED,
                f"entries {good + 1}..{cp.size} differ from the checkpoint of size {cp.size}",
            )
        good = cp.size
    return VerifyReport(count, head, checkpoints=len(ordered))


def verify_export(lines: Iterable[str], log: Verifier | None = None) -> VerifyReport:
    """Check a `vigil audit export` (JSON lines: checkpoints first, then entries)."""
    checkpoints: list[SignedCheckpoint] = []
    entries: list[dict[str, Any]] = []
    for line in lines:
        if not line.strip():
            continue
        doc = json.loads(line)
        if "checkpoint" in doc:
            cp = doc["checkpoint"]
            checkpoints.append(SignedCheckpoint(cp["size"], bytes.fromhex(cp["root"]), cp["note"]))
        elif "log" not in doc:
            entries.append(doc)
    return verify_entries(entries, checkpoints, log)


def proof_document(
    kind: str, hashes: Sequence[bytes], checkpoint_note: str, **fields: int | str
) -> dict[str, Any]:
    return {
        "kind": kind,
        **fields,
        "hashes": [base64.b64encode(h).decode() for h in hashes],
        "checkpoint": checkpoint_note,
    }


def _proof_hashes(proof: dict[str, Any]) -> list[bytes]:
    hashes = proof["hashes"]
    if not isinstance(hashes, list):
        raise NoteError("hashes is a list")
    return [b64decode_strict(h) for h in hashes]


def check_inclusion_document(proof: dict[str, Any], entry: dict[str, Any], log: Verifier) -> bool:
    """Does this inclusion proof put `entry` (an exported entry) in the signed checkpoint?"""
    try:
        checkpoint = open_checkpoint(proof["checkpoint"], log)
        hashes = _proof_hashes(proof)
        index = proof["leaf_index"]
    except (NoteError, KeyError, TypeError):
        return False
    return (
        proof.get("kind") == "inclusion"
        and proof.get("tree_size") == checkpoint.size
        and index == int(entry["seq"]) - 1
        and verify_inclusion(index, checkpoint.size, entry_leaf(entry), hashes, checkpoint.root)
    )


def check_consistency_document(
    proof: dict[str, Any], log: Verifier, old_checkpoint_note: str | None = None
) -> bool:
    """Does the log of this proof's checkpoint extend the older signed checkpoint: the one the
    caller remembers, else the one the proof carries (then both must agree)?"""
    try:
        new = open_checkpoint(proof["checkpoint"], log)
        carried = proof.get("old_checkpoint")
        notes = [n for n in (old_checkpoint_note, carried) if n is not None]
        olds = [open_checkpoint(n, log) for n in notes]
        hashes = _proof_hashes(proof)
    except (NoteError, KeyError, TypeError):
        return False
    if proof.get("old_size") == 0 and not olds:
        olds = [Checkpoint(log.name, 0, EMPTY_ROOT)]
    if not olds or any((o.size, o.root) != (olds[0].size, olds[0].root) for o in olds):
        return False
    old = olds[0]
    return (
        proof.get("kind") == "consistency"
        and (proof.get("old_size"), proof.get("new_size")) == (old.size, new.size)
        and verify_consistency(old.size, new.size, old.root, new.root, hashes)
    )
