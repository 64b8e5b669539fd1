"""Identity numbers are never stored in plain text: a keyed hash for linkage, and an
encrypted value that only an audited read decrypts.

Ciphertexts are AES-256-GCM tokens, `g1.` + base64url(nonce ‖ ciphertext ‖ tag), under a key
derived (HKDF-SHA256) from the configured encryption key. GCM is about five times cheaper
than Fernet per identifier, which matters at intake rates. Tokens without the prefix are
Fernet tokens from earlier versions and still decrypt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vigil.core.settings import Settings, secret

TOKEN_PREFIX = "g1."
_NONCE_BYTES = 12
_AAD = b"vigil-identifier"


class _NoncePool:
    """Random 96-bit GCM nonces drawn from the OS in bulk: one `getrandom` call per 4,096
    nonces instead of one per identifier (the call cost more than the encryption). A forked
    child starts with an empty pool, so no two processes ever share a nonce."""

    def __init__(self, batch: int = 4096) -> None:
        self._batch = batch
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self._buffer = b""
        self._offset = 0

    def take(self) -> bytes:
        with self._lock:
            if self._offset >= len(self._buffer):
                self._buffer = os.urandom(_NONCE_BYTES * self._batch)
                self._offset = 0
            start = self._offset
            self._offset = start + _NONCE_BYTES
            return self._buffer[start : start + _NONCE_BYTES]


_NONCES = _NoncePool()
os.register_at_fork(after_in_child=_NONCES.reset)


@dataclass(frozen=True)
class ProtectedIdentifier:
    hash: str
    ciphertext: str


def _derive_gcm_key(encryption_key: str) -> bytes:
    material = base64.urlsafe_b64decode(encryption_key.encode())
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vigil-id-aes256gcm")
    return hkdf.derive(material)


class IdentifierVault:
    """Hashes and encrypts under the current keys. During a key rotation (`previous` set:
    the keys being replaced) it still opens what the previous keys sealed, and gives the
    previous hash of a value, so that linkage finds rows not yet re-keyed; `vigil keys
    rotate` re-keys every stored value, then the previous keys are dropped."""

    def __init__(
        self, hash_key: str, encryption_key: str, previous: tuple[str, str] | None = None
    ) -> None:
        self._keys = (hash_key, encryption_key, previous)
        self._hmac = hmac.new(hash_key.encode(), digestmod=hashlib.sha256)
        self._fernet = Fernet(encryption_key.encode())  # reads legacy tokens
        self._gcm = AESGCM(_derive_gcm_key(encryption_key))
        self.previous: IdentifierVault | None = (
            IdentifierVault(previous[0], previous[1]) if previous is not None else None
        )

    def __reduce__(
        self,
    ) -> tuple[type[IdentifierVault], tuple[str, str, tuple[str, str] | None]]:
        # Worker processes started with "spawn" get the vault rebuilt from its keys.
        return (IdentifierVault, self._keys)

    @classmethod
    def from_settings(cls, settings: Settings) -> IdentifierVault:
        previous = None
        if settings.id_hash_key_previous is not None or settings.id_encryption_key_previous:
            previous = (
                secret(settings.id_hash_key_previous or settings.id_hash_key),
                secret(settings.id_encryption_key_previous or settings.id_encryption_key),
            )
        return cls(secret(settings.id_hash_key), secret(settings.id_encryption_key), previous)

    @property
    def rotating(self) -> bool:
        return self.previous is not None

    def opens(self, ciphertext: str) -> bool:
        """Whether the current key alone opens this token."""
        try:
            self._reveal_current(ciphertext)
        except (InvalidTag, InvalidToken, ValueError):
            return False
        return True

    def rekey(
        self, ciphertext: str, upgrade: Callable[[str], str | None] | None = None
    ) -> tuple[str, str] | None:
        """(current hash, current ciphertext) of a token only the previous key opens; None
        if the current key opens it already (re-keyed, or written since). `upgrade` gives a
        stored value's current normal form (None: it is current): a token whose value it
        upgrades is re-sealed as the upgrade whichever key opens it (a legacy 15-digit
        resident number, stored before numbers were kept in their 18-character form)."""
        try:
            value, current = self._reveal_current(ciphertext), True
        except (InvalidTag, InvalidToken, ValueError):
            value, current = self.reveal(ciphertext), False  # one decryption either way
        upgraded = upgrade(value) if upgrade is not None else None
        if current and upgraded is None:
            return None
        value = upgraded or value
        return self.hash(value), self.encrypt(value)

    def hash_under_other_key(self, ciphertext: str) -> str | None:
        """During a rotation: the value's hash under the key its token was not hashed with
        (the previous key's for a value sealed now, the current one's for an old token), so a
        lookup finds a row whichever side of the rotation it is on. None outside a rotation."""
        if self.previous is None:
            return None
        value = self.reveal(ciphertext)
        if self.opens(ciphertext):
            return self.previous.hash(value)
        return self.hash(value)

    def hash(self, normalised: str) -> str:
        keyed = self._hmac.copy()  # the keyed state is computed once, not per value
        keyed.update(normalised.encode())
        return keyed.hexdigest()

    def encrypt(self, normalised: str) -> str:
        nonce = _NONCES.take()
        sealed = self._gcm.encrypt(nonce, normalised.encode(), _AAD)
        return TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def protect(self, normalised: str) -> ProtectedIdentifier:
        return ProtectedIdentifier(self.hash(normalised), self.encrypt(normalised))

    def reveal(self, ciphertext: str) -> str:
        """Decrypt (with the previous key too, during a rotation). Callers must be inside an
        audited, legal-basis-checked read."""
        if self.previous is None:
            return self._reveal_current(ciphertext)
        try:
            return self._reveal_current(ciphertext)
        except (InvalidTag, InvalidToken):
            return self.previous.reveal(ciphertext)

    def _reveal_current(self, ciphertext: str) -> str:
        if ciphertext.startswith(TOKEN_PREFIX):
            raw = base64.urlsafe_b64decode(ciphertext[len(TOKEN_PREFIX) :].encode())
            nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
            return self._gcm.decrypt(nonce, sealed, _AAD).decode()
        return self._fernet.decrypt(ciphertext.encode()).decode()
