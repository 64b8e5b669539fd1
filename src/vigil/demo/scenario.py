"""`vigil demo`: a fresh demo city on the embedded database, then the API.

Each capability adds its step here, so that a new user sees Vigil working end to end."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console
from rich.table import Table

from vigil import domains
from vigil.core.logging import configure_logging
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.core.settings import Settings, get_settings
from vigil.demo.city import DemoCity, demo_password
from vigil.governance import audit
from vigil.governance import service as governance
from vigil.governance.access import Role, system_context

console = Console(width=max(Console().width, 130))
DEMO_DB = Path("vigil-demo.db")
DEMO_SNAPSHOTS = Path("vigil-demo-snapshots")
DEMO_LOG = "vigil-demo.log"


def server_log_file(chosen: str | None, default: str) -> str:
    """The file the server logs to: the one chosen, else VIGIL_LOG_FILE, else `default`;
    "-" means standard error."""
    value = chosen if chosen is not None else (os.environ.get("VIGIL_LOG_FILE") or default)
    return "" if value == "-" else value


def announce_log_file(log_file: str) -> None:
    if log_file:
        console.print(
            f"Server logs go to {log_file} (follow them with: tail -f {log_file}); "
            "--log-file - keeps them on the terminal."
        )


AGENCIES = ("Riverside Public Security Bureau", "Harbour District Police")
BUSINESSES = (
    ("Jinjiang Inn Riverside", "hotel"),
    ("Golden Pawn & Second-hand", "secondhand"),
    ("Swift Motor Refit", "motor"),
    ("Starlight Internet Cafe", "venue"),
    ("Cloud Courier Riverside", "courier"),
)
STAFF = (
    ("admin", Role.ADMIN),
    ("supervisor", Role.SUPERVISOR),
    ("analyst", Role.ANALYST),
    ("officer", Role.OFFICER),
    ("auditor", Role.AUDITOR),
)


def seed_city(runtime: Runtime) -> DemoCity:
    city = DemoCity()
    ctx = system_context()
    with runtime.unit_of_work() as session:
        for index, name in enumerate(AGENCIES):
            org = governance.create_organisation(session, ctx, name, "agency")
            city.agency_ids.append(org.id)
            if index == 0:  # the statute catalogue screening cites, kept by the first agency
                governance.seed_statutes(session, ctx, org.id)
            suffix = "" if index == 0 else "-harbour"
            for base, role in STAFF:
                if index > 0 and role in (Role.ADMIN, Role.AUDITOR):
                    continue
                username = base + suffix
                governance.create_user(
                    session, ctx, username, demo_password(username), role, org.id
                )
                city.logins.append((username, demo_password(username), role.value, name))
        for name, sector in BUSINESSES:
            org = governance.create_organisation(session, ctx, name, "business", sector)
            city.business_ids[sector] = org.id
            username = f"{sector}-clerk"
            governance.create_user(
                session, ctx, username, demo_password(username), Role.BUSINESS, org.id
            )
            city.logins.append((username, demo_password(username), "business", name))
            city.api_keys[sector] = governance.create_api_key(session, ctx, org.id, "demo").secret
    audit.integrate_pending(runtime)
    return city


def fresh_demo_runtime(database_url: str | None = None, log_file: str = "") -> Runtime:
    base: Settings = get_settings()
    url = database_url or os.environ.get("VIGIL_DEMO_DATABASE_URL") or f"sqlite:///{DEMO_DB}"
    if url == f"sqlite:///{DEMO_DB}":
        if DEMO_DB.exists():
            console.print(
                f"[yellow]Resetting the demo city in {DEMO_DB}:[/yellow] its filings, alerts, "
                "users and API keys are replaced by a new city."
            )
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{DEMO_DB}{suffix}").unlink(missing_ok=True)
    update: dict[str, object] = {"database_url": url, "log_file": log_file}
    if base.video_snapshot_dir is None:  # the demo cameras' blurred snapshots go beside it
        update["video_snapshot_dir"] = DEMO_SNAPSHOTS.resolve()
    settings = base.model_copy(update=update)
    upgrade(url)
    return Runtime.create(settings)


def absolute_sqlite_url(url: str) -> str:
    """An SQLite URL whose file is named from the root, so that it works from anywhere."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url.startswith(prefix + "/"):
        return url
    return prefix + str(Path(url[len(prefix) :]).absolute())


def print_city(city: DemoCity, host: str, port: int) -> None:
    table = Table(title="Demo logins (POST /v1/auth/token)")
    for column in ("username", "password", "role", "organisation"):
        table.add_column(column)
    for row in city.logins:
        table.add_row(*row)
    console.print(table)
    keys = Table(title="Business API keys (header X-API-Key)")
    keys.add_column("sector")
    keys.add_column("key")
    for sector, key in city.api_keys.items():
        keys.add_row(sector, key)
    console.print(keys)
    base = f"http://{host}:{port}"
    console.print(
        f"API docs: {base}/docs\n"
        f"Log in:   curl -s -d username=officer -d password={demo_password('officer')} "
        f"{base}/v1/auth/token"
    )


def run_demo(
    *,
    serve_api: bool = True,
    host: str = "127.0.0.1",
    port: int = 8000,
    database_url: str | None = None,
    log_file: str | None = None,
) -> DemoCity:
    log_to = server_log_file(log_file, DEMO_LOG)
    announce_log_file(log_to)
    base = get_settings()
    configure_logging(base.log_level, base.log_json, log_to)
    runtime = fresh_demo_runtime(database_url, log_to)
    with console.status("Building the demo city"):
        city = seed_city(runtime)
    console.print(f"[green]Demo city ready[/green] in {runtime.settings.database_url}")
    for title, step in domains.demo_steps():
        with console.status(f"{title}…"):
            lines = step(runtime, city)
        console.rule(title)
        for line in lines:
            console.print(f"  {line}")
    audit.integrate_pending(runtime)
    with runtime.unit_of_work() as session:
        report = audit.verify(session, runtime.settings)
    console.print(f"Audit: {report.summary()}")
    print_city(city, host, port)
    console.print(
        "Point the command line at this city (from any directory), e.g. to verify its audit "
        "log:\n"
        f"  export VIGIL_DATABASE_URL={absolute_sqlite_url(runtime.settings.database_url)}\n"
        f"  export VIGIL_KEY_FILE={runtime.settings.key_file.absolute()}\n"
        "  vigil audit verify",
        soft_wrap=True,
    )
    if serve_api:
        import uvicorn

        from vigil.api.app import create_app

        console.print(f"Serving on http://{host}:{port} (Ctrl-C to stop)")
        uvicorn.run(create_app(runtime), host=host, port=port, log_config=None, access_log=False)
    return city
