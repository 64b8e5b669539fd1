"""One exception hierarchy, mapped to RFC 9457 problem+json by the API."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    """A problem with one input field; `loc` is the dotted path (e.g. `companions.0.id_number`)."""

    loc: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.loc, "message": self.message}


@dataclass
class VigilError(Exception):
    """Base error. `status` is the HTTP status the API answers with."""

    detail: str
    status: int = 500
    title: str = "Internal error"
    type_slug: str = "internal"
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        if self.errors:
            fields = "; ".join(f"{e.loc}: {e.message}" for e in self.errors)
            return f"{self.detail} ({fields})"
        return self.detail


class ValidationFailed(VigilError):
    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail, 422, "Validation failed", "validation", errors or [])


class BadRequest(VigilError):
    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail, 400, "Bad request", "bad-request", errors or [])


class MissingLegalBasis(VigilError):
    """No purpose or legal basis was given for a read of personal data."""

    def __init__(self, detail: str) -> None:
        # refused like any basis the rules do not allow (403), with its own problem type
        super().__init__(detail, 403, "Purpose and legal basis required", "legal-basis-required")


class Unauthorized(VigilError):
    def __init__(self, detail: str = "Authentication required") -> None:
        super().__init__(detail, 401, "Unauthorized", "unauthorized")


class TooManyAttempts(VigilError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, 429, "Too many attempts", "too-many-attempts")


class Forbidden(VigilError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, 403, "Forbidden", "forbidden")


class NotFound(VigilError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, 404, "Not found", "not-found")


class Conflict(VigilError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, 409, "Conflict", "conflict")


class PayloadTooLarge(VigilError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, 413, "Payload too large", "payload-too-large")


class UnsupportedMediaType(VigilError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail, 415, "Unsupported media type", "unsupported-media-type")


class IdentifierError(ValueError):
    """An identity number, VIN, IMEI or MRZ field that fails validation. The message is precise."""
