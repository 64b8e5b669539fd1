"""Persons: every call here touches personal data, so every call needs a purpose and a
legal basis."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.governance import audit
from vigil.governance.audit import Action
from vigil.http.deps import PurposefulDep, RuntimeDep
from vigil.http.params import RowId
from vigil.registry import service
from vigil.registry.schemas import PersonCreated, PersonIn, PersonOut

router = APIRouter(prefix="/v1/persons", tags=["registry"])


@router.post("", response_model=PersonCreated, status_code=201)
def create_person(body: PersonIn, runtime: RuntimeDep, ctx: PurposefulDep) -> dict[str, int]:
    try:
        with runtime.unit_of_work() as session:
            person = service.create_person(session, ctx, runtime.vault, body)
            return {"id": person.id}
    except service.PersonExists as exc:  # the 409 discloses that this person is on file
        with runtime.unit_of_work() as session:
            audit.record(
                session,
                ctx,
                Action.CONSULT,
                "person",
                exc.person_id,
                outcome="conflict",
                detail={"reason": exc.detail},
            )
        raise


@router.get("/{person_id}", response_model=PersonOut)
def get_person(person_id: RowId, runtime: RuntimeDep, ctx: PurposefulDep) -> PersonOut:
    with runtime.unit_of_work() as session:
        return service.get_person(session, ctx, runtime.vault, person_id)
