"""Structured JSON logs with request ids. A last processor masks anything shaped like an
identity number, as a second line of defence: callers must not log them in the first place."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, TextIO

import structlog

_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def mask_identifiers(text: str) -> str:
    return _ID_LIKE.sub(lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 2), text)


def _mask_processor(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return {k: mask_identifiers(v) if isinstance(v, str) else v for k, v in event.items()}


class _CurrentStderr:
    """Writes to whatever `sys.stderr` is at the time of the call."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


_file_handler: logging.Handler | None = None
_log_output: tuple[str, TextIO] | None = None  # the open log file, reused by later calls


def _log_file_output(log_file: str) -> TextIO:
    global _log_output
    if _log_output is not None and _log_output[0] == log_file and not _log_output[1].closed:
        return _log_output[1]
    Path(log_file).resolve().parent.mkdir(parents=True, exist_ok=True)
    output = open(log_file, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (lives on)
    _log_output = (log_file, output)
    return output


def _route_stdlib_logging(log_file: str, level: str) -> None:
    """The standard library's loggers (uvicorn's among them) follow structlog into the file."""
    global _file_handler
    root = logging.getLogger()
    if _file_handler is not None:
        root.removeHandler(_file_handler)
        _file_handler.close()
        _file_handler = None
    if log_file:
        _file_handler = logging.FileHandler(log_file, encoding="utf-8")
        _file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        )
        root.addHandler(_file_handler)
        root.setLevel(logging.getLevelName(level))


def configure_logging(level: str = "INFO", json_output: bool = True, log_file: str = "") -> None:
    """Logs go to standard error, or appended to `log_file` when one is given."""
    output: Any = _CurrentStderr()
    if log_file:
        output = _log_file_output(log_file)
    _route_stdlib_logging(log_file, level)
    renderer: Any = (
        structlog.processors.JSONRenderer() if json_output else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _mask_processor,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=output),
        cache_logger_on_first_use=False,
    )


def get_logger(name: str = "vigil") -> Any:
    return structlog.get_logger(name)
