"""Password rules from NIST SP 800-63B (5.1.1.2): at least 8 characters, long passphrases
allowed, no composition rules, and no password found in a breached-password list (shipped
with the package as `data/breached-passwords.txt`)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

MIN_LENGTH = 8
MAX_LENGTH = 256  # passphrases welcome; a bound keeps hashing cheap for a refused request


@lru_cache(maxsize=1)
def breached_passwords() -> frozenset[str]:
    text = resources.files("vigil.governance").joinpath("data/breached-passwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line and line[0] != "#")


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"must have at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must have at most {MAX_LENGTH} characters"
    if password.casefold() in breached_passwords():
        return "appears in a list of breached passwords; choose another"
    if username and password.casefold() == username.strip().casefold():
        return "must not be the username"
    return None
