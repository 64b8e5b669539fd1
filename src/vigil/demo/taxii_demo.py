"""Demo step: Riverside serves its shareable clues as a TAXII 2.1 collection. Harbour, the
partner under the agreement the intel step signed, gets a key and reads the collection
through the same functions as `/taxii2/`: it sees what its agreement and shares open to it
(never the RED clue), and every clue served is audited as a disclosure to Harbour."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from vigil.core.clock import utcnow
from vigil.core.runtime import Runtime
from vigil.demo.city import DemoCity
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.governance.models import User
from vigil.intel.clues.models import Agreement, Clue
from vigil.intel.exchange import taxii

DEMO_OUTPUT = Path("demo-output/intel")
TITLE = "Riverside shareable clues"


def run(runtime: Runtime, city: DemoCity, *, out_dir: Path = DEMO_OUTPUT) -> list[str]:
    riverside, harbour = city.agency_ids[0], city.agency_ids[1]
    with runtime.unit_of_work() as session:
        agreement = session.scalar(
            select(Agreement)
            .where(Agreement.from_org_id == riverside, Agreement.to_org_id == harbour)
            .order_by(Agreement.id.desc())
        )
        if agreement is None:
            return ["no Riverside -> Harbour agreement: the intel step did not run"]
        supervisor = session.scalar(
            select(User).where(User.organisation_id == riverside, User.role == "supervisor")
        )
        assert supervisor is not None
        collection = taxii.create_collection(
            session,
            governance.context_for_user(session, supervisor),
            TITLE,
            "Riverside's clues, as each partner's agreement and shares open them.",
        )
        issued = taxii.issue_key(session, system_context(), harbour, "Harbour TAXII reader")
        reader = taxii.context_for_key(session, issued.secret)
        opened = taxii.open_collection(session, reader, collection.id)
        objects = taxii.served_objects(session, opened)
        page, more, _ = taxii.select_page(objects, taxii.Filters(limit=taxii.MAX_LIMIT))
        disclosed = taxii.disclose(session, opened, page, "objects")
        served_clues = {s.clue_id for s in page}
        tlps = sorted(
            {c.tlp for c in session.scalars(select(Clue).where(Clue.id.in_(served_clues)))}
        )
        riverside_clues = len(
            list(session.scalars(select(Clue.id).where(Clue.organisation_id == riverside)))
        )
        red_served = any(
            c.tlp == "RED" for c in session.scalars(select(Clue).where(Clue.id.in_(served_clues)))
        )
        collection_id, agreement_id, max_tlp = collection.id, agreement.id, agreement.max_tlp
    out_dir.mkdir(parents=True, exist_ok=True)
    key_file = out_dir / "taxii-harbour.key"
    key_file.write_text(issued.secret + "\n", encoding="utf-8")
    key_file.chmod(0o600)
    return [
        f"TAXII collection {collection_id} '{TITLE}' at /taxii2/api/collections/"
        f"{collection_id}/ (opened to Harbour by agreement {agreement_id}, up to TLP:{max_tlp})",
        f"Harbour's key ({key_file}) reads {len(page)} STIX objects"
        + (" (more pages)" if more else "")
        + f": {len(served_clues)} of {riverside_clues} Riverside clues, markings "
        f"{', '.join(tlps) or 'none'}; RED " + ("SERVED (wrong)" if red_served else "withheld"),
        f"audit: {disclosed} disclosures to org:Harbour recorded at {utcnow():%H:%M:%S}; try "
        "taxii2-client with Server('http://127.0.0.1:8000/taxii2/', user='harbour', "
        "password=<key>)",
    ]
