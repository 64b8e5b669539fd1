"""The TAXII 2.1 resources the server answers (OASIS TAXII 2.1, sections 3.6 and 4-5), so
that the OpenAPI document describes them field by field. Optional properties that are None
are left out of the answer, as the specification wants."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from vigil.intel.exchange.schemas import ImportResult


class TaxiiError(BaseModel):
    """A TAXII 2.1 error message (section 3.6.1), served as application/taxii+json."""

    title: str
    description: str | None = None
    http_status: str | None = Field(default=None, description="the HTTP status, as a string")


class DiscoveryResource(BaseModel):
    """The server's discovery resource (section 4.1.1)."""

    title: str
    description: str | None = None
    default: str | None = Field(default=None, description="the default API root's URL")
    api_roots: list[str] = Field(description="the URLs of the API roots")


class ApiRootResource(BaseModel):
    """An API root (section 4.2.1)."""

    title: str
    description: str | None = None
    versions: list[str] = Field(description="the TAXII media types the root speaks")
    max_content_length: int = Field(description="the longest request body accepted, in bytes")


class CollectionResource(BaseModel):
    """A collection (section 5.2.1): one agency's clues as STIX 2.1 objects."""

    id: str
    title: str
    description: str | None = None
    can_read: bool
    can_write: bool
    media_types: list[str]


class CollectionsResource(BaseModel):
    """The collections open to the caller (section 5.1.1)."""

    collections: list[CollectionResource] | None = None


class ManifestRecord(BaseModel):
    """One object's entry in a manifest (section 5.3.1)."""

    id: str
    date_added: str
    version: str
    media_type: str


class TaxiiPage(BaseModel):
    """The paging properties of a TAXII answer that can run to several pages."""

    more: bool | None = Field(default=None, description="true if another page follows")
    next: str | None = Field(default=None, description="the `next` parameter of that page")


class ManifestResource(TaxiiPage):
    """A page of a collection's manifest (section 5.3.1); `{}` when nothing matches."""

    objects: list[ManifestRecord] | None = None


class TaxiiEnvelope(TaxiiPage):
    """A page of STIX 2.1 objects (section 3.7); `{}` when nothing matches."""

    objects: list[dict[str, Any]] | None = Field(
        default=None, description="STIX 2.1 objects, as the STIX specification defines them"
    )


class VersionsResource(TaxiiPage):
    """A page of one object's versions; `{}` when nothing matches."""

    versions: list[str] | None = Field(default=None, description="each version's timestamp")


class StatusResource(BaseModel):
    """The status of a POST of objects (section 4.3.1): the import is done when it answers."""

    id: str
    status: Literal["complete", "pending"]
    request_timestamp: str
    total_count: int
    success_count: int
    failure_count: int
    pending_count: int
    x_vigil_import_report: ImportResult = Field(
        description="what the import made of each STIX type's objects"
    )
