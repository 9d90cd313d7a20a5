"""The reports' settings (README "Configuration"), read once through tambon.config.read_setting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from tambon.config import read_setting


@dataclass(frozen=True)
class ReportSettings:
    target_wait_minutes: float = 15.0    # REPORT_TARGET_WAIT_MINUTES: "served within the target" in the reports
    docx_font: str = "TH Sarabun New"    # REPORT_DOCX_FONT: the DOCX body font (the office's Word font)
    division: str = "สำนักปลัด"           # REPORT_DIVISION: the division that signs the memo
    executive_title: str | None = None   # REPORT_EXECUTIVE_TITLE: whom the memo is addressed to (default นายก + office)
    worker: str = "inline"               # REPORTS_WORKER: "process" (tambon serve) or "inline" (reports/worker.py)
    worker_timeout: float = 120.0        # REPORTS_WORKER_TIMEOUT_SECONDS: a job longer than this answers 503
    worker_start: float = 30.0           # REPORTS_WORKER_START_SECONDS: how long a request waits for a (re)start

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ReportSettings:
        return cls(target_wait_minutes=float(read_setting("REPORT_TARGET_WAIT_MINUTES", 15, config)),
                   docx_font=str(read_setting("REPORT_DOCX_FONT", "TH Sarabun New", config)),
                   division=str(read_setting("REPORT_DIVISION", "สำนักปลัด", config)),
                   executive_title=read_setting("REPORT_EXECUTIVE_TITLE", None, config),
                   worker=_worker_mode(read_setting("REPORTS_WORKER", "inline", config)),
                   worker_timeout=float(read_setting("REPORTS_WORKER_TIMEOUT_SECONDS", 120, config)),
                   worker_start=float(read_setting("REPORTS_WORKER_START_SECONDS", 30, config)))


WORKER_MODES = ("inline", "process")


def _worker_mode(value: Any) -> str:
    mode = str(value or "inline").strip().lower()
    if mode not in WORKER_MODES:
        raise ValueError(f"REPORTS_WORKER must be inline or process, not {value!r}")
    return mode


EXTENSION = "reports.settings"


def current() -> ReportSettings:
    """The running app's report settings (read once by reports.init_app)."""
    return current_app.extensions[EXTENSION]
