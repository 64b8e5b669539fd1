"""Server logs can go to a file (as `vigil demo` and `vigil serve` do by default): then
structlog's lines and the standard library's (uvicorn's) land there, not on the terminal."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from vigil.core.logging import configure_logging, get_logger
from vigil.demo.scenario import server_log_file


def test_logs_go_to_the_file_and_not_to_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "logs" / "server.log"
    try:
        configure_logging("INFO", True, str(path))
        get_logger().info("request", route="/v1/me", status=200)
        # a standard-library logger (uvicorn's, when it runs with log_config=None as here)
        logging.getLogger("vigil.test.stdlib").warning("port in use")
        configure_logging("INFO", True, str(path))  # a second app appends to the same file
        get_logger().info("request", route="/v1/alerts", status=200)
    finally:
        configure_logging("INFO", True)
    lines = path.read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines if line.startswith("{")]
    assert [e["route"] for e in events] == ["/v1/me", "/v1/alerts"]
    assert any("port in use" in line for line in lines)
    out, err = capfd.readouterr()
    assert "/v1/me" not in out + err and "port in use" not in out + err
    # back on stderr once no file is set
    get_logger().info("request", route="/v1/after")
    assert "/v1/after" in capfd.readouterr().err
    assert "/v1/after" not in path.read_text(encoding="utf-8")


def test_the_log_file_default_and_the_dash_for_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIGIL_LOG_FILE", raising=False)
    assert server_log_file(None, "vigil-demo.log") == "vigil-demo.log"
    assert server_log_file("-", "vigil-demo.log") == ""
    monkeypatch.setenv("VIGIL_LOG_FILE", "/var/log/vigil.log")
    assert server_log_file(None, "vigil-demo.log") == "/var/log/vigil.log"
    assert server_log_file("mine.log", "vigil-demo.log") == "mine.log"
