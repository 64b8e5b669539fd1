"""Emergency response's settings (prefix `VIGIL_RESPONSE_`): escalation deadlines per
priority, the CAP sender and the optional signing key."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Minutes an incident of each priority (1 most urgent) may stay unacknowledged, and then
# acknowledged without a unit sent, before it escalates to the supervisor.
DEFAULT_ACKNOWLEDGE_MINUTES = {1: 2, 2: 5, 3: 15, 4: 60}
DEFAULT_ATTEND_MINUTES = {1: 10, 2: 20, 3: 60, 4: 240}


class ResponseSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VIGIL_RESPONSE_", env_file=None, extra="ignore")

    acknowledge_minutes: dict[int, int] = Field(
        default_factory=lambda: dict(DEFAULT_ACKNOWLEDGE_MINUTES)
    )
    attend_minutes: dict[int, int] = Field(default_factory=lambda: dict(DEFAULT_ATTEND_MINUTES))
    cap_sender: str = "warnings@vigil.local"  # CAP <sender>: no spaces, commas, '<' or '&'
    cap_sender_name: str = "Vigil public warnings"
    # PEM files; when both are set every published warning carries an XML signature
    cap_signing_key: Path | None = None
    cap_signing_cert: Path | None = None
    feed_base_url: str = "http://127.0.0.1:8000/v1/response/warnings"

    def signing_material(self) -> tuple[bytes, bytes] | None:
        if self.cap_signing_key is None or self.cap_signing_cert is None:
            return None
        return self.cap_signing_key.read_bytes(), self.cap_signing_cert.read_bytes()
