"""Request and response models for cases, correlation and link analysis."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator


class CaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    opened_from: str = "manual"
    source_ref: str | None = None  # "alert:12" or a clue id

    @field_validator("opened_from")
    @classmethod
    def _from(cls, v: str) -> str:
        if v not in ("manual", "alert", "clue"):
            raise ValueError("must be manual, alert or clue")
        return v


class CaseStatusIn(BaseModel):
    status: str
    resolution: str | None = None


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    assignee: str | None = None  # username


class AssignIn(BaseModel):
    username: str


class CaseTaskOut(BaseModel):
    id: int
    title: str
    assignee_user_id: int | None
    done: bool


class CaseEventOut(BaseModel):
    at: str  # ISO 8601
    actor: str
    kind: str
    text: str


class CaseOut(BaseModel):
    id: int
    title: str
    description: str
    status: str
    resolution: str | None
    opened_from: str
    source_ref: str | None
    legal_basis: str
    assignees: list[str]
    clue_ids: list[int]
    tasks: list[CaseTaskOut]
    timeline: list[CaseEventOut]


class CaseOpened(BaseModel):
    id: int
    legal_basis: str
    basis_active: bool  # usable once a supervisor opened or approved it (two persons)


class CaseSummary(BaseModel):
    id: int
    title: str
    status: str
    legal_basis: str = ""
    basis_active: bool = False  # approved by a supervisor: citable as an investigation basis


class CaseStatusOut(BaseModel):
    status: str


class TaskCreated(BaseModel):
    id: int


class Done(BaseModel):
    ok: bool


class CorrelationOut(BaseModel):
    kind: str
    entity_id: int | None
    clue_ids: list[int]
    case_ids: list[int]
    other_cases: int


class RankedEntity(BaseModel):
    entity_id: int
    score: float


class EntityLabel(BaseModel):
    kind: str
    label: str


class CaseGraphOut(BaseModel):
    nodes: int
    edges: int
    components: list[list[int]]
    degree_centrality: list[RankedEntity]
    betweenness_centrality: list[RankedEntity]
    entities: dict[int, EntityLabel]
    edge_list: list[tuple[int, int]]


class NeighbourOut(BaseModel):
    entity_id: int
    distance: int
    kind: str | None = None
    label: str | None = None


class NeighbourhoodOut(BaseModel):
    entity_id: int
    k: int
    nodes: list[NeighbourOut]


class PathOut(BaseModel):
    source: int
    target: int
    path: list[int] | None


class ComponentsOut(BaseModel):
    components: list[list[int]]
    degree: dict[int, int]
