"""Identity numbers are never stored in plain text: a keyed hash for linkage, and a
Fernet-encrypted value that only an audited read decrypts."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet

from vigil.core.settings import Settings, secret


@dataclass(frozen=True)
class ProtectedIdentifier:
    hash: str
    ciphertext: str


class IdentifierVault:
    def __init__(self, hash_key: str, encryption_key: str) -> None:
        self._hash_key = hash_key.encode()
        self._fernet = Fernet(encryption_key.encode())

    @classmethod
    def from_settings(cls, settings: Settings) -> IdentifierVault:
        return cls(secret(settings.id_hash_key), secret(settings.id_encryption_key))

    def hash(self, normalised: str) -> str:
        return hmac.new(self._hash_key, normalised.encode(), hashlib.sha256).hexdigest()

    def protect(self, normalised: str) -> ProtectedIdentifier:
        return ProtectedIdentifier(
            self.hash(normalised), self._fernet.encrypt(normalised.encode()).decode()
        )

    def reveal(self, ciphertext: str) -> str:
        """Decrypt. Callers must be inside an audited, legal-basis-checked read."""
        return self._fernet.decrypt(ciphertext.encode()).decode()
