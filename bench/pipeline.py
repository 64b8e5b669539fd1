"""End-to-end latency on the embedded default: a hotel stay for a listed person is filed over
the API, the in-process outbox worker screens it, and an officer's SSE stream receives the
alert. Prints the filing-to-alert latency, and its ratio to the filing round trip measured in
the same run (the baseline)."""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import event

from vigil.api.app import create_app
from vigil.core.migrate import upgrade
from vigil.core.runtime import Runtime
from vigil.core.settings import Settings, generate_keys
from vigil.demo.scenario import demo_password, seed_city


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stays", type=int, default=30)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--idle-streams", type=int, default=50)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.db'}"
    upgrade(url)
    keys = generate_keys()
    settings = Settings(database_url=url, key_file=tmp / "k.json", log_level="WARNING", **keys)  # type: ignore[arg-type]
    runtime = Runtime.create(settings)
    city = seed_city(runtime)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(runtime, pipeline_in_process=True),
            port=args.port,
            log_config=None,
            access_log=False,
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{args.port}"
    client = httpx.Client(base_url=base, timeout=30)

    def token(user: str) -> str:
        return str(
            client.post(
                "/v1/auth/token", data={"username": user, "password": demo_password(user)}
            ).json()["access_token"]
        )

    analyst, supervisor, officer = token("analyst"), token("supervisor"), token("officer")
    expires = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    for n in range(args.stays):
        entry = {
            "entry_id": f"W-{n}",
            "kind": "person",
            "name": f"张伟{chr(0x4E00 + 37 * n)}",
            "birth_date": f"19{60 + n % 30}-0{1 + n % 9}-1{n % 9}",
            "basis_reference": f"warrant {n}",
            "basis_authority": "court",
            "expires_at": expires,
        }
        client.post(
            "/v1/screening/watchlist", json=entry, headers={"Authorization": f"Bearer {analyst}"}
        ).raise_for_status()
        client.post(
            f"/v1/screening/watchlist/W-{n}/decision",
            json={"approve": True},
            headers={"Authorization": f"Bearer {supervisor}"},
        ).raise_for_status()
    arrivals: dict[int, float] = {}
    query = f"access_token={officer}&purpose=screening&legal_basis=statute:bench"
    stream_url = f"{base}/v1/alerts/stream?{query}"

    def listen() -> None:
        with httpx.stream("GET", stream_url, timeout=None) as response:
            for line in response.iter_lines():
                if line.startswith("data:"):
                    alert = json.loads(line[5:])
                    arrivals[int(alert["submission_id"])] = time.perf_counter()

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(1.0)
    latencies, round_trips = [], []
    now = datetime.now(UTC)
    for n in range(args.stays):
        stay = {
            "guest": {
                "name": f"张伟{chr(0x4E00 + 37 * n)}",
                "doc_type": "passport",
                "id_number": f"E{10_000_000 + n}",
                "issuing_country": "CHN",
                "birth_date": f"19{60 + n % 30}-0{1 + n % 9}-1{n % 9}",
            },
            "check_in": (now - timedelta(hours=5)).isoformat(),
            "check_out": (now - timedelta(hours=1)).isoformat(),
            "room": str(n),
        }
        started = time.perf_counter()
        response = client.post(
            "/v1/intake/hotel",
            json=stay,
            headers={"X-API-Key": city.api_keys["hotel"], "Idempotency-Key": f"b{n}"},
        )
        filed = time.perf_counter()
        response.raise_for_status()
        submission = int(response.json()["submission_ids"][0])
        while submission not in arrivals and time.perf_counter() - filed < 10:
            time.sleep(0.005)
        round_trips.append(filed - started)
        latencies.append(arrivals.get(submission, float("inf")) - filed)
    # queries on the alert table while nothing happens: one open stream, then many
    idle_one = _alert_queries_per_second(runtime)
    for _ in range(args.idle_streams - 1):
        threading.Thread(target=listen, daemon=True).start()
    time.sleep(2.0)
    idle_many = _alert_queries_per_second(runtime)
    server.should_exit = True
    received = sum(1 for v in latencies if v != float("inf"))
    ms = sorted(v * 1000 for v in latencies)
    print(f"alerts received on the SSE stream: {received}/{args.stays}")
    median, p95 = statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]
    print(f"filing (202) to alert on SSE, ms: median {median:.0f}, p95 {p95:.0f}, max {ms[-1]:.0f}")
    base_ms = statistics.median(round_trips) * 1000
    print(f"baseline: filing round trip {base_ms:.0f} ms; ratio {median / base_ms:.1f}x")
    print(
        f"idle alert-table queries per second: {idle_one:.1f} with 1 open stream, "
        f"{idle_many:.1f} with {args.idle_streams}; ratio {idle_many / max(idle_one, 0.1):.1f}x"
    )


def _alert_queries_per_second(runtime: Runtime, seconds: float = 3.0) -> float:
    """Statements that read the alert table, on every engine the app uses, per second."""
    sent: list[str] = []

    def record(*args: object) -> None:
        if re.search(r"\bFROM alert\b", str(args[2])):
            sent.append(str(args[2]))

    engines = {runtime.engine, runtime.read_sessions.kw["bind"]}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    time.sleep(seconds)
    for engine in engines:
        event.remove(engine, "before_cursor_execute", record)
    return len(sent) / seconds


if __name__ == "__main__":
    main()
