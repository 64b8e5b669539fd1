"""FastAPI app assembly: routers, problem+json, request ids, JSON logs, metrics and the
periodic audit checkpoint."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil import domains
from vigil.alerts.feed import AlertFeed
from vigil.core.errors import VigilError
from vigil.core.logging import configure_logging, get_logger
from vigil.core.runtime import Runtime
from vigil.flows.emergency_review import raise_overdue_review_alerts
from vigil.governance import audit
from vigil.governance.access import AccessContext
from vigil.governance.audit import Action
from vigil.http import problems
from vigil.http.problems import problem
from vigil.http.security import RateLimiter, bucket_of, security_headers

log = get_logger("vigil.api")
CHECKPOINT_INTERVAL_S = 60.0
SEQUENCE_INTERVAL_S = 1.0
REVIEW_CHECK_S = 60.0  # how often overdue emergency-read reviews are looked for


class Health(BaseModel):
    status: str  # "ok" once the database answers


def create_app(
    runtime: Runtime | None = None,
    *,
    checkpoint_interval_s: float = CHECKPOINT_INTERVAL_S,
    pipeline_in_process: bool | None = None,
) -> FastAPI:
    """`pipeline_in_process` runs the outbox worker as a thread beside the API (the embedded
    default); at scale it runs as separate `vigil pipeline run` processes."""
    runtime = runtime or Runtime.create()
    if pipeline_in_process is None:
        pipeline_in_process = runtime.settings.pipeline_in_process
    configure_logging(
        runtime.settings.log_level, runtime.settings.log_json, runtime.settings.log_file
    )
    alert_feed = AlertFeed(runtime)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_checkpoint_loop(runtime, checkpoint_interval_s))
        worker = None
        if pipeline_in_process:
            from vigil import pipeline

            worker = pipeline.start_in_process(runtime)
        try:
            yield
        finally:
            if worker is not None:
                worker[1].set()
                await asyncio.to_thread(worker[0].join, 10)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await alert_feed.aclose()
            _checkpoint_if_moved(runtime)

    app = FastAPI(
        title="Vigil",
        version="0.1.0",
        description="Public-safety information platform that works under the rule of law.",
        lifespan=lifespan,
        docs_url=None,  # served by vigil.web from vendored assets, so /docs works offline
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.alert_feed = alert_feed
    app.state.record_refusal = lambda request, exc: _record_refusal(runtime, request, exc)
    problems.install(app)
    _install_observability(app, runtime)

    @app.get("/healthz", tags=["ops"], response_model=Health)
    def healthz() -> dict[str, str]:
        with runtime.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return {"status": "ok"}

    for router in domains.routers():
        # a router that declares its own error answers (TAXII's) answers no problem+json
        errors = None if router.responses else problems.ERROR_RESPONSES
        app.include_router(router, responses=errors)
    from vigil.web.routes import mount_static
    from vigil.web.routes import router as web_router

    app.include_router(web_router)
    mount_static(app)
    _answer_unknown_taxii_paths_in_taxii(app)
    _serve_problem_json_in_openapi(app)
    return app


def _answer_unknown_taxii_paths_in_taxii(app: FastAPI) -> None:
    """A path under /taxii2/ that no route serves is answered with a TAXII error message, as
    every other TAXII error is, not with problem+json."""
    from vigil.intel.exchange import taxii_api

    answer_elsewhere = app.exception_handlers[StarletteHTTPException]
    prefix = taxii_api.router.prefix + "/"

    async def answer(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StarletteHTTPException) and request.url.path.startswith(prefix):
            title = HTTPStatus(exc.status_code).phrase
            return taxii_api.error_response(exc.status_code, title, str(exc.detail), exc.headers)
        answered = answer_elsewhere(request, exc)
        return await answered if inspect.isawaitable(answered) else answered

    app.add_exception_handler(StarletteHTTPException, answer)


def _serve_problem_json_in_openapi(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems.serve_problems_as_problem_json(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class _SplitBatches(Collector):
    """The pipeline's batches that failed whole in this process (a counter it keeps)."""

    def collect(self) -> Iterator[CounterMetricFamily]:
        from vigil import pipeline

        yield CounterMetricFamily(
            "vigil_pipeline_split_batches",
            "Pipeline batches that failed whole and were run again one event at a time, in "
            "this process: each is a defect to find in the log",
            value=pipeline.split_batches_total(),
        )


def _install_observability(app: FastAPI, runtime: Runtime) -> None:
    registry = CollectorRegistry()
    unscreened = Gauge(
        "vigil_pipeline_unscreened_registrations",
        "Registrations stored and not yet screened (pending or dead-lettered)",
        registry=registry,
    )
    dead_letters = Gauge(
        "vigil_pipeline_dead_letter_events",
        "Outbox events that failed every try: their registrations were never screened",
        registry=registry,
    )
    requests = Counter(
        "vigil_http_requests_total",
        "HTTP requests",
        ["method", "route", "status"],
        registry=registry,
    )
    unhandled = Counter(
        "vigil_http_unhandled_errors_total",
        "Requests that ended in an unhandled exception (answered 500)",
        ["method", "route"],
        registry=registry,
    )
    latency = Histogram(
        "vigil_http_request_seconds", "HTTP request latency", ["method", "route"], registry=registry
    )
    registry.register(_SplitBatches())

    settings = runtime.settings
    limiter = RateLimiter(
        {
            "sign_in": settings.rate_limit_sign_in_per_minute,
            "public": settings.rate_limit_public_per_minute,
        },
        storage_uri=settings.rate_limit_storage,
        storage_retry_s=settings.rate_limit_storage_retry_s,
    )
    app.state.rate_limiter = limiter

    @app.middleware("http")
    async def _observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        bucket = bucket_of(request.method, request.url.path)
        wait = None
        if bucket is not None:
            source = request.client.host if request.client else "unknown"
            # a shared storage (Redis) is a network round trip: not on the event loop
            wait = await run_in_threadpool(limiter.hit, bucket, source)
        try:
            response: Response
            if wait is not None and bucket is not None:
                response = problem(
                    request,
                    429,
                    "Too many requests",
                    f"too many {bucket.replace('_', '-')} requests from this address; "
                    f"try again in {int(wait) + 1} s",
                    "rate-limited",
                )
                response.headers["Retry-After"] = str(int(wait) + 1)
            else:
                response = await call_next(request)
        except Exception as exc:
            # the app's 500 handler answers outside this middleware: count and log it here
            route_path = getattr(request.scope.get("route"), "path", "unmatched")
            requests.labels(request.method, route_path, "500").inc()
            unhandled.labels(request.method, route_path).inc()
            log.error(
                "request",
                request_id=request_id,
                method=request.method,
                route=route_path,
                status=500,
                error_type=type(exc).__name__,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )
            raise
        finally:
            structlog.contextvars.unbind_contextvars("request_id")
        route = request.scope.get("route")
        route_path = getattr(route, "path", "unmatched")
        elapsed = time.perf_counter() - started
        requests.labels(request.method, route_path, str(response.status_code)).inc()
        latency.labels(request.method, route_path).observe(elapsed)
        response.headers["X-Request-ID"] = request_id
        response.headers.update(
            security_headers(response.headers, tls=request.url.scheme == "https")
        )
        log.info(
            "request",
            request_id=request_id,
            method=request.method,
            route=route_path,
            status=response.status_code,
            ms=round(elapsed * 1000, 2),
        )
        return response

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    def metrics() -> Response:
        from vigil.intake import outbox

        with runtime.read_sessions() as session:
            health = outbox.health(session)
        unscreened.set(health.unscreened)
        dead_letters.set(health.dead_lettered)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def _record_refusal(runtime: Runtime, request: Request, exc: VigilError) -> None:
    """A refused attempt is audited in its own transaction (the refused one rolled back)."""
    ctx: AccessContext | None = getattr(request.state, "ctx", None)
    if ctx is None:
        return
    with runtime.unit_of_work() as session:
        audit.record(
            session,
            ctx,
            Action.CONSULT,
            "endpoint",
            f"{request.method} {request.url.path}",
            outcome="refused",
            detail={"reason": exc.detail[:200]},
        )


def _checkpoint_if_moved(runtime: Runtime) -> None:
    """Sequence what is pending and sign a checkpoint if the tree grew."""
    audit.integrate_pending(runtime, checkpoint=False)
    audit.checkpoint_if_moved(runtime)


async def _checkpoint_loop(runtime: Runtime, interval_s: float) -> None:
    """The audit sequencer: integrate pending entries every second (only one process at a time
    wins its lock) and sign a checkpoint every `interval_s` when the tree grew."""
    last_checkpoint = last_review_check = time.monotonic()
    while True:
        await asyncio.sleep(min(SEQUENCE_INTERVAL_S, interval_s))
        try:
            await asyncio.to_thread(audit.integrate_pending, runtime, checkpoint=False)
            if time.monotonic() - last_checkpoint >= interval_s:
                await asyncio.to_thread(audit.checkpoint_if_moved, runtime)
                last_checkpoint = time.monotonic()
            if time.monotonic() - last_review_check >= REVIEW_CHECK_S:
                # emergency reads no supervisor reviewed in time raise an alert
                await asyncio.to_thread(raise_overdue_review_alerts, runtime)
                last_review_check = time.monotonic()
        except Exception as exc:  # keep the loop alive; the next tick retries
            log.warning("audit sequencer failed", error_type=type(exc).__name__)
