"""Link analysis over the clues a caller may see: per case (NetworkX) and across everything
visible (the CSR graph). Withheld clues are audited as refused by `visible_clues`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from vigil.core.errors import Forbidden
from vigil.governance import audit
from vigil.governance.access import AccessContext, require_personal_data_access
from vigil.governance.audit import Action
from vigil.intel.cases.graph import CsrGraph, analyse, co_mention_edges, to_networkx
from vigil.intel.cases.service import case_clue_ids, get_case
from vigil.intel.clues.models import Clue, Entity
from vigil.intel.clues.service import clue_entities
from vigil.intel.clues.visibility import visible_clues


def _visible_edges(
    session: Session, ctx: AccessContext, candidates: Any, what: str
) -> tuple[list[tuple[int, int]], set[int]]:
    clues = visible_clues(session, ctx, candidates, what)
    by_clue = clue_entities(session, [c.id for c in clues])
    lists = [[e.id for e in ents] for ents in by_clue.values()]
    nodes = {i for ids in lists for i in ids}
    return co_mention_edges(lists), nodes


def _labels(session: Session, ids: set[int]) -> dict[int, dict[str, str]]:
    return {
        e.id: {"kind": e.kind, "label": e.label}
        for e in (session.get(Entity, i) for i in sorted(ids))
        if e is not None
    }


def case_graph(session: Session, ctx: AccessContext, case_id: int) -> dict[str, Any]:
    require_personal_data_access(session, ctx, "cases")
    case = get_case(session, ctx, case_id)
    linked = case_clue_ids(session, case.id)
    edges, nodes = _visible_edges(session, ctx, Clue.id.in_(linked), f"graph:case:{case.id}")
    result = analyse(to_networkx(edges, nodes))
    result["entities"] = _labels(session, nodes)
    result["edge_list"] = edges
    audit.record(session, ctx, Action.COMBINE, "case_graph", case.id, detail={"nodes": len(nodes)})
    return result


def visible_graph(session: Session, ctx: AccessContext) -> CsrGraph:
    edges, nodes = _visible_edges(session, ctx, None, "graph:all")
    return CsrGraph.from_edges([a for a, _ in edges], [b for _, b in edges], sorted(nodes))


def neighbourhood(
    session: Session, ctx: AccessContext, entity_id: int, k: int = 2
) -> dict[str, Any]:
    require_personal_data_access(session, ctx, "clues")
    graph = visible_graph(session, ctx)
    if not graph.has_node(entity_id):
        raise Forbidden(f"entity {entity_id} is in no clue you may see")
    found = graph.k_hop(entity_id, k)
    audit.record(
        session, ctx, Action.COMBINE, "entity", entity_id, detail={"k": k, "found": len(found)}
    )
    labels = _labels(session, set(found))
    return {
        "entity_id": entity_id,
        "k": k,
        "nodes": [{"entity_id": n, "distance": d, **labels.get(n, {})} for n, d in found.items()],
    }


def path(session: Session, ctx: AccessContext, source: int, target: int) -> dict[str, Any]:
    require_personal_data_access(session, ctx, "clues")
    graph = visible_graph(session, ctx)
    found = graph.shortest_path(source, target)
    audit.record(
        session,
        ctx,
        Action.COMBINE,
        "entity",
        source,
        detail={"path_to": target, "found": bool(found)},
    )
    return {"source": source, "target": target, "path": found}


def components(session: Session, ctx: AccessContext) -> dict[str, Any]:
    require_personal_data_access(session, ctx, "clues")
    graph = visible_graph(session, ctx)
    groups = graph.components()
    audit.record(
        session, ctx, Action.COMBINE, "entity_graph", "components", detail={"n": len(groups)}
    )
    return {
        "components": groups,
        "degree": {n: graph.degree(n) for g in groups for n in g},
    }
