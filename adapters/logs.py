"""Logging for `rapport serve`: lines for a person, or one JSON object a line for a log collector
(RAPPORT_LOG_FORMAT=json), and nothing routine every few seconds."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import IO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FORMATS = ("text", "json")

# APScheduler's executor logs "Running job" and "executed successfully" at INFO on every run of the
# due-work tick: two lines every five seconds that say nothing. Its warnings (a missed run) stay.
QUIET = {"apscheduler.executors": logging.WARNING}


class JsonFormatter(logging.Formatter):
    """One JSON object a record: time (UTC, ISO 8601), level, logger, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(*, log_format: str = "text", stream: IO[str] | None = None) -> None:
    """INFO and above to `stream` (stderr by default) in `log_format`, "text" or "json"."""
    if log_format not in FORMATS:
        raise ValueError(f"RAPPORT_LOG_FORMAT must be text or json, not {log_format!r}")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
