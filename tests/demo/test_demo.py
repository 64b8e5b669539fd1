"""`vigil demo` builds the demo city on SQLite, serves the API and prints logins that work."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_serves_api_and_prints_working_logins(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "VIGIL_KEY_FILE": str(tmp_path / "keys.json"),
        "VIGIL_ARGON2_MEMORY_KIB": "1024",
    }
    env.pop("VIGIL_DATABASE_URL", None)
    env.pop("VIGIL_LOG_FILE", None)
    vigil = Path(sys.executable).parent / "vigil"
    process = subprocess.Popen(
        [str(vigil), "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
            assert process.poll() is None, "demo exited early"
        else:
            raise AssertionError("demo did not serve in time")
        login = httpx.post(
            f"http://127.0.0.1:{port}/v1/auth/token",
            data={"username": "officer", "password": "officer-demo-2026"},
        )
        assert login.status_code == 200
        token = login.json()["access_token"]
        me = httpx.get(
            f"http://127.0.0.1:{port}/v1/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert me.json()["role"] == "officer"
        assert (tmp_path / "vigil-demo.db").exists()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert "officer-demo-2026" in output
    # the server's logs went to a file that the first line names, not onto the terminal
    assert output.splitlines()[0].startswith("Server logs go to vigil-demo.log")
    logged = (tmp_path / "vigil-demo.log").read_text(encoding="utf-8")
    assert '"route": "/v1/auth/token"' in logged and '"route": "/v1/me"' in logged
    assert '"event": "request"' not in output
    assert "log intact" in output
    # the printed line points the command line at the demo city: its audit log verifies
    (url,) = [
        line.split("=", 1)[1].strip()
        for line in output.splitlines()
        if line.strip().startswith("export VIGIL_DATABASE_URL=")
    ]
    verify = subprocess.run(
        [str(vigil), "audit", "verify"],
        cwd=tmp_path,
        env={**env, "VIGIL_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
