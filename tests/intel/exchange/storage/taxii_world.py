"""A TAXII world: Agency A serves a collection of its clues, one per marking. Agency B reads
under an AMBER+STRICT agreement (the AMBER clues are shared with it), Agency C under a GREEN
agreement, Agency D has no agreement; analyst_b is the named recipient of the RED clue."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.intel.helpers import IntelWorld, build_intel_world
from vigil.api.app import create_app
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.models import User
from vigil.intel.clues.models import Clue
from vigil.intel.exchange import taxii
from vigil.intel.exchange.taxii import TAXII_MEDIA

MARKINGS = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")


@dataclass
class TaxiiWorld:
    iw: IntelWorld
    collection: str
    clue_ids: dict[str, int]  # marking -> clue id
    stix_ids: dict[str, str]  # marking -> the clue's report id
    keys: dict[str, str] = field(default_factory=dict)  # agency -> TAXII key
    key_prefixes: dict[str, str] = field(default_factory=dict)
    agreements: dict[str, int] = field(default_factory=dict)

    @property
    def runtime(self) -> Runtime:
        return self.iw.world.runtime

    def headers(self, reader: str, accept: str = TAXII_MEDIA) -> dict[str, str]:
        """`key:B` for Agency B's key, `token:analyst_b` for a user's bearer token."""
        kind, who = reader.split(":")
        secret = self.keys[who] if kind == "key" else self.iw.world.tokens[who]
        return {"Authorization": f"Bearer {secret}", "Accept": accept}


def build_taxii_world(runtime: Runtime, *, clear_entities: int = 0) -> TaxiiWorld:
    iw = build_intel_world(runtime)
    w = iw.world
    with runtime.unit_of_work() as session:
        d = governance.create_organisation(session, system_context(), "Agency D", "agency")
        w.org_ids["D"] = d.id
    agreements = {}
    for org, max_tlp in (("B", "AMBER+STRICT"), ("C", "GREEN")):
        r = w.client.post(
            "/v1/sharing-agreements",
            json={"to_org_id": w.org_ids[org], "purpose": "regional exchange", "max_tlp": max_tlp},
            headers=w.auth("supervisor"),
        )
        assert r.status_code == 201, r.text
        agreements[org] = int(r.json()["id"])
    clue_ids: dict[str, int] = {}
    for tlp in MARKINGS:
        clue_ids[tlp] = iw.clue(
            "analyst",
            tlp,
            f"a {tlp} clue about a courier depot",
            [{"kind": "phone", "value": f"+86 138 0013 80{MARKINGS.index(tlp):02d}"}],
        )
    for n in range(clear_entities):
        iw.clue("analyst", "CLEAR", f"public notice {n}", [])
    for tlp in ("AMBER", "AMBER+STRICT"):
        r = iw.client.post(
            f"/v1/clues/{clue_ids[tlp]}/shares",
            json={"recipient_org_id": w.org_ids["B"]},
            headers=iw.h("analyst"),
        )
        assert r.status_code == 201, r.text
    r = iw.client.post(
        f"/v1/clues/{clue_ids['RED']}/share-requests",
        json={"recipient_user": "analyst_b", "reason": "B's analyst works the depot"},
        headers=iw.h("analyst"),
    )
    assert r.status_code == 201, r.text
    r = iw.client.post(
        f"/v1/share-requests/{r.json()['id']}/decision",
        json={"approve": True},
        headers=iw.h("supervisor"),
    )
    assert r.status_code == 200, r.text
    keys, prefixes = {}, {}
    with runtime.unit_of_work() as session:
        admin = governance.context_for_user(session, _user(session, "admin"))
        supervisor = governance.context_for_user(session, _user(session, "supervisor"))
        collection = taxii.create_collection(
            session, supervisor, "Agency A shareable clues", accepts_posts=True
        ).id
        for org in ("B", "C", "D"):
            issued = taxii.issue_key(session, admin, w.org_ids[org], f"Agency {org}")
            keys[org], prefixes[org] = issued.secret, issued.prefix
        stix_ids = {t: _stix_id(session, i) for t, i in clue_ids.items()}
    return TaxiiWorld(iw, collection, clue_ids, stix_ids, keys, prefixes, agreements)


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.username == name))
    assert user is not None
    return user


def _stix_id(session: Session, clue_id: int) -> str:
    clue = session.get(Clue, clue_id)
    assert clue is not None
    return clue.stix_id


@contextmanager
def served(runtime: Runtime) -> Iterator[str]:
    """Vigil's app on a free loopback port while the block runs; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
