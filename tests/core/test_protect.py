"""The identifier vault: keyed hashes and authenticated encryption."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.protect import TOKEN_PREFIX, IdentifierVault
from vigil.core.settings import generate_keys

KEYS = generate_keys()
VAULT = IdentifierVault(KEYS["id_hash_key"], KEYS["id_encryption_key"])


@given(st.text(min_size=1, max_size=40))
def test_encrypt_round_trips_and_never_repeats(value: str) -> None:
    first, second = VAULT.encrypt(value), VAULT.encrypt(value)
    assert first.startswith(TOKEN_PREFIX) and first != second  # fresh nonce each time
    assert VAULT.reveal(first) == value and VAULT.reveal(second) == value


def test_token_does_not_carry_the_number() -> None:
    number = "11010519491231002X"
    token = VAULT.encrypt(number)
    assert number not in token and number not in base64.urlsafe_b64decode(token[3:]).decode(
        "latin-1"
    )


def test_hash_is_keyed_and_stable() -> None:
    other = IdentifierVault(generate_keys()["id_hash_key"], KEYS["id_encryption_key"])
    number = "11010519491231002X"
    assert VAULT.hash(number) == VAULT.hash(number)
    assert VAULT.hash(number) != other.hash(number)
    assert VAULT.hash(number) != VAULT.hash("110105194912310021")


def test_legacy_fernet_tokens_still_decrypt() -> None:
    legacy = Fernet(KEYS["id_encryption_key"].encode()).encrypt(b"110105194912310021").decode()
    assert VAULT.reveal(legacy) == "110105194912310021"


def test_a_tampered_token_or_another_key_is_refused() -> None:
    token = VAULT.encrypt("110105194912310021")
    raw = bytearray(base64.urlsafe_b64decode(token[len(TOKEN_PREFIX) :]))
    raw[-1] ^= 1
    tampered = TOKEN_PREFIX + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(InvalidTag):
        VAULT.reveal(tampered)
    stranger = IdentifierVault(KEYS["id_hash_key"], generate_keys()["id_encryption_key"])
    with pytest.raises(InvalidTag):
        stranger.reveal(token)


def test_vault_survives_pickling_for_spawned_workers() -> None:
    import pickle

    copy = pickle.loads(pickle.dumps(VAULT))
    token = VAULT.encrypt("110105194912310021")
    assert copy.reveal(token) == "110105194912310021"
    assert copy.hash("110105194912310021") == VAULT.hash("110105194912310021")


def test_nonces_never_repeat_across_refills_or_a_fork() -> None:
    """Nonces come from the OS in bulk; a forked child must not reuse the parent's batch
    (GCM with a repeated nonce leaks the plaintexts' XOR and the authentication key)."""
    import os

    from vigil.core import protect

    pool = protect._NONCES
    drawn = [pool.take() for _ in range(10_000)]  # more than two batches
    assert len(set(drawn)) == len(drawn) and {len(n) for n in drawn} == {12}
    pool.take()  # the pool is now part-way through a batch, as a parent is when it forks
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.write(write, b"".join(pool.take() for _ in range(8)))
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    from_child = {data[i : i + 12] for i in range(0, len(data), 12)}
    from_parent = {pool.take() for _ in range(8)}
    assert len(from_child) == 8 and not from_child & from_parent
