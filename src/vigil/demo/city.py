"""What the demo seeding hands to each demo step: logins, API keys and organisation ids."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoCity:
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    api_keys: dict[str, str] = field(default_factory=dict)
    agency_ids: list[int] = field(default_factory=list)
    business_ids: dict[str, int] = field(default_factory=dict)


def demo_password(username: str) -> str:
    """Each demo login's password: its name and the demo's year."""
    return f"{username}-demo-2026"
