"""TAXII 2.1 client: pull a partner's collection incrementally into Vigil through the same
import as `vigil intel import`, and push a case's shareable clues to a partner's collection.
Speaks through the OASIS `taxii2-client`; retries server errors (5xx) and dropped
connections with exponential backoff.

`--server` is the partner's API root URL (e.g. https://partner.example/taxii2/api/), or its
discovery URL (e.g. https://partner.example/taxii2/): then the default API root it names, or
the one `--api-root` chooses among those it lists."""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session
from taxii2client.common import _HTTPConnection
from taxii2client.exceptions import TAXIIServiceException
from taxii2client.v21 import Collection, Server

from vigil.core.errors import FieldError, Forbidden, ValidationFailed
from vigil.core.runtime import Runtime
from vigil.core.text import ascii_digits
from vigil.governance import audit
from vigil.governance.access import AccessContext, require_personal_data_access
from vigil.governance.audit import Action, EntryIn
from vigil.governance.models import LegalBasis, Organisation
from vigil.intel.cases.service import case_clue_ids, get_case
from vigil.intel.clues.models import Agreement, Clue
from vigil.intel.clues.visibility import visible_clues
from vigil.intel.exchange.models import TaxiiSync
from vigil.intel.exchange.service import NothingUsable, _records, import_bundle
from vigil.intel.exchange.stix import build_bundle
from vigil.intel.exchange.taxii import parse_taxii_time
from vigil.intel.marking import Tlp, tlp_rank

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (pages so far, objects so far)


class RemoteError(Exception):
    """The partner's server kept failing, or refused the request."""


def with_retry(
    call: Callable[[], T],
    *,
    attempts: int = 4,
    base_delay: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[int, str], None] | None = None,
) -> T:
    """`call()`, retried after a 5xx answer or a dropped connection, waiting base_delay,
    then twice as long each time; a 4xx is not retried."""
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except requests.HTTPError as exc:
            code = exc.response.status_code if exc.response is not None else 0
            if code < 500 or attempt == attempts:
                raise RemoteError(f"the server answered {code}: {exc}") from exc
            why = f"server error {code}"
        except requests.ConnectionError as exc:
            if attempt == attempts:
                raise RemoteError(f"cannot reach the server: {exc}") from exc
            why = "connection failed"
        if on_retry is not None:
            on_retry(attempt, why)
        sleep(base_delay * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def _collection(
    server: str, collection_id: str, user: str | None, password: str | None
) -> tuple[Collection, dict[str, str]]:
    """The remote collection, and the TAXII date headers of the last answer."""
    conn = _HTTPConnection(user=user, password=password, version="2.1")
    seen: dict[str, str] = {}

    def remember(response: requests.Response, *_: Any, **__: Any) -> None:
        for name in ("X-TAXII-Date-Added-First", "X-TAXII-Date-Added-Last"):
            if name in response.headers:
                seen[name] = response.headers[name]

    conn.session.hooks["response"].append(remember)
    root = server if server.endswith("/") else f"{server}/"
    return Collection(f"{root}collections/{collection_id}/", conn=conn), seen


def _slashed(url: str) -> str:
    return url if url.endswith("/") else f"{url}/"


def find_api_root(
    url: str,
    api_root: str | None = None,
    *,
    user: str | None = None,
    password: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[int, str], None] | None = None,
) -> str:
    """The API root URL that `url` stands for: `url` itself if it is an API root; if it is a
    discovery endpoint, the API root `api_root` names among those it lists (by URL, or by
    the last part of its path: "api1"), else its default. RemoteError says what to do when
    there is none."""
    conn = _HTTPConnection(user=user, password=password, version="2.1")
    server = Server(_slashed(url), conn=conn)
    try:
        with_retry(server.refresh, sleep=sleep, on_retry=on_retry)
    except TAXIIServiceException as exc:
        raise RemoteError(f"{url} is neither a TAXII 2.1 API root nor discovery: {exc}") from exc
    if "versions" in server.custom_properties:  # an API root's information, not discovery
        if api_root is not None:
            raise RemoteError(
                f"{url} is an API root already: leave out --api-root, or give "
                "--server the discovery URL"
            )
        return url  # as given: the key of its pulls so far
    offered = [root.url for root in server.api_roots]
    if api_root is not None:
        wanted = _slashed(urljoin(server.url, api_root))
        for root in offered:
            if root == wanted or urlsplit(root).path.rstrip("/").rsplit("/", 1)[-1] == api_root:
                return root
        raise RemoteError(
            f"--api-root {api_root} is not one of the API roots that {url} lists: "
            f"{', '.join(offered) or 'none'}"
        )
    if server.default is None:
        raise RemoteError(
            f"{url} is a TAXII discovery endpoint with no default API root: choose one with "
            f"--api-root among {', '.join(offered) or 'none (it lists no API root)'}"
        )
    return str(server.default.url)


def _sync(session: Session, org_id: int, direction: str, server: str, collection: str) -> TaxiiSync:
    row = session.scalar(
        select(TaxiiSync).where(
            TaxiiSync.organisation_id == org_id,
            TaxiiSync.direction == direction,
            TaxiiSync.server == server,
            TaxiiSync.collection == collection,
        )
    )
    if row is None:
        row = TaxiiSync(
            organisation_id=org_id,
            direction=direction,
            server=server,
            collection=collection,
            last_by="",
            report={},
        )
        session.add(row)
    return row


@dataclass
class PullResult:
    api_root: str = ""  # the API root pulled from (the server's default, given discovery)
    pages: int = 0
    objects: int = 0
    added_after: str | None = None  # what this pull asked for
    now_after: str | None = None  # what the next pull will ask for
    report: dict[str, Any] = field(default_factory=dict)
    retries: list[str] = field(default_factory=list)


def pull(
    runtime: Runtime,
    ctx: AccessContext,
    server: str,
    collection_id: str,
    *,
    api_root: str | None = None,
    user: str | None = None,
    password: str | None = None,
    per_request: int = 100,
    progress: Progress | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PullResult:
    """Objects added to the remote collection since the last pull, imported as clues.
    `server` is an API root or a discovery URL (see `find_api_root`)."""
    result = PullResult()

    def note(attempt: int, why: str) -> None:
        result.retries.append(f"retry {attempt}: {why}")

    with runtime.unit_of_work() as session:
        require_personal_data_access(session, ctx, "clues")
    server = result.api_root = find_api_root(
        server, api_root, user=user, password=password, sleep=sleep, on_retry=note
    )
    with runtime.unit_of_work() as session:
        state = _sync(session, ctx.organisation_id, "pull", server, collection_id)
        result.added_after = state.added_after
    remote, headers = _collection(server, collection_id, user, password)
    objects: list[dict[str, Any]] = []
    latest: datetime | None = None
    latest_raw: str | None = None
    token: str | None = None

    while True:
        params: dict[str, Any] = {"limit": per_request}
        if result.added_after:
            params["added_after"] = result.added_after
        if token:
            params["next"] = token
        headers.clear()
        envelope = with_retry(
            functools.partial(remote.get_objects, **params), sleep=sleep, on_retry=note
        )
        page = envelope.get("objects", []) if isinstance(envelope, dict) else []
        objects += page
        result.pages += 1
        last = headers.get("X-TAXII-Date-Added-Last") or headers.get("X-TAXII-Date-Added-First")
        if page and last:
            when = parse_taxii_time(last, "X-TAXII-Date-Added-Last")
            if latest is None or when > latest:
                latest, latest_raw = when, last
        if progress is not None:
            progress(result.pages, len(objects))
        token = envelope.get("next") if isinstance(envelope, dict) else None
        if not (isinstance(envelope, dict) and envelope.get("more")) or not token:
            break
    result.objects = len(objects)
    with runtime.unit_of_work() as session:
        if objects:
            bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
            try:
                result.report = import_bundle(session, ctx, bundle)
            except NothingUsable as exc:
                result.report = {
                    "imported": 0,
                    "merged": exc.report.total("merged"),
                    "skipped": exc.report.total("skipped"),
                    "by_type": exc.report.as_dict(),
                }
        else:
            result.report = {"imported": 0, "merged": 0, "skipped": 0, "by_type": {}}
        state = _sync(session, ctx.organisation_id, "pull", server, collection_id)
        if latest_raw is not None:
            state.added_after = latest_raw
        elif objects:
            raise RemoteError("the server sent objects without X-TAXII-Date-Added-Last")
        state.last_at = datetime.now().astimezone()
        state.last_by = ctx.principal
        state.report = {
            **result.report,
            "objects": result.objects,
            "pages": result.pages,
            "added_after": result.added_after,
        }
        result.now_after = state.added_after
    return result


@dataclass
class PushResult:
    pushed: int = 0
    objects: int = 0
    withheld: dict[str, int] = field(default_factory=dict)  # reason -> clues
    status: dict[str, Any] = field(default_factory=dict)
    retries: list[str] = field(default_factory=list)


def _push_agreement(session: Session, ctx: AccessContext) -> Agreement:
    basis = ctx.legal_basis or ""
    if not basis.startswith("agreement:") or not ascii_digits(basis.removeprefix("agreement:")):
        raise ValidationFailed(
            "invalid push",
            [FieldError("legal_basis", "the agreement with the partner, agreement:N")],
        )
    agreement = session.get(Agreement, int(basis.removeprefix("agreement:")))
    if agreement is None or agreement.from_org_id != ctx.organisation_id:
        raise Forbidden(f"{basis} is not an agreement of your agency with a partner")
    ref = session.scalar(select(LegalBasis).where(LegalBasis.reference == basis))
    if ref is None or not ref.active or not agreement.active:
        raise Forbidden(f"{basis} is not in force")
    return agreement


def push(
    runtime: Runtime,
    ctx: AccessContext,
    server: str,
    collection_id: str,
    case_id: int,
    *,
    api_root: str | None = None,
    user: str | None = None,
    password: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """A case's clues that the agreement (the context's legal basis) lets go to the partner:
    the agency's own clues up to the agreement's marking, anyone's TLP:CLEAR, never RED.
    Each pushed clue is audited as a disclosure to the partner, committed only once the
    partner's server has taken the objects. `server` is an API root or a discovery URL."""
    result = PushResult()
    with runtime.unit_of_work() as session:
        require_personal_data_access(session, ctx, "clues")
        agreement = _push_agreement(session, ctx)
        partner = session.get(Organisation, agreement.to_org_id)
        assert partner is not None
        case = get_case(session, ctx, case_id)
        clues = visible_clues(
            session, ctx, Clue.id.in_(case_clue_ids(session, case.id)), f"push:case:{case.id}"
        )
        chosen: list[Clue] = []
        for clue in clues:
            tlp = Tlp(clue.tlp)
            if tlp == Tlp.RED:
                why = "TLP:RED goes only to named people"
            elif clue.organisation_id != ctx.organisation_id and tlp != Tlp.CLEAR:
                why = "another agency's clue: onward sharing needs its approval"
            elif tlp_rank(tlp) > tlp_rank(agreement.max_tlp):
                why = f"beyond the agreement (up to TLP:{agreement.max_tlp})"
            else:
                chosen.append(clue)
                continue
            result.withheld[why] = result.withheld.get(why, 0) + 1
        if not chosen:
            return result
        objects = build_bundle(_records(session, chosen))["objects"]
        result.objects, result.pushed = len(objects), len(chosen)

        def note(attempt: int, why: str) -> None:
            result.retries.append(f"retry {attempt}: {why}")

        server = find_api_root(
            server, api_root, user=user, password=password, sleep=sleep, on_retry=note
        )
        remote, _ = _collection(server, collection_id, user, password)
        envelope = {"objects": objects}

        status = with_retry(
            lambda: remote.add_objects(envelope, wait_for_completion=False),
            sleep=sleep,
            on_retry=note,
        )
        result.status = {
            "id": status.id,
            "status": status.status,
            "total_count": status.total_count,
            "success_count": status.success_count,
            "failure_count": status.failure_count,
            "pending_count": status.pending_count,
        }
        recipient = f"org:{partner.name}"
        audit.record_many(
            session,
            ctx,
            [
                EntryIn(
                    Action.DISCLOSE,
                    "clue",
                    clue.id,
                    recipient=recipient,
                    detail={
                        "via": f"taxii-push:{server}collections/{collection_id}/",
                        "tlp": clue.tlp,
                    },
                )
                for clue in chosen
            ],
        )
        state = _sync(session, ctx.organisation_id, "push", server, collection_id)
        state.last_at = datetime.now().astimezone()
        state.last_by = ctx.principal
        state.report = {
            "case": case.id,
            "pushed": result.pushed,
            "objects": result.objects,
            "withheld": result.withheld,
            "status": result.status,
        }
    return result
