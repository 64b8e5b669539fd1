"""An optional second factor for staff: TOTP (RFC 6238, `pyotp`), 6 digits every 30 s.

A user enrols (a new secret, shown once as an otpauth URI for an authenticator app), then
confirms with a first code; from then on a sign-in needs a current code besides the
password. A code is accepted one step either side of now (clock drift), and never twice: the
last step used is kept. The secret is stored sealed (AES-GCM under a key derived from the
settings' secret key), so a copy of the database alone does not yield codes."""

from __future__ import annotations

import base64
import hashlib
import os
import time

import pyotp
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ISSUER = "Vigil"
DRIFT_STEPS = 1


def _aead(secret_key: str) -> AESGCM:
    return AESGCM(hashlib.sha256(b"vigil-totp\x00" + secret_key.encode()).digest())


def seal(secret_key: str, secret: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(secret_key).encrypt(nonce, secret.encode(), b"totp")
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(secret_key: str, token: str) -> str:
    raw = base64.urlsafe_b64decode(token.encode())
    return _aead(secret_key).decrypt(raw[:12], raw[12:], b"totp").decode()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step the code belongs to (within the drift), if it is later than the last
    step used; None otherwise."""
    code = code.strip()
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    step = int(now // totp.interval)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if last_step is not None and candidate <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(candidate), code):
            return candidate
    return None
