"""The reports' settings (README "Configuration"), read once through tambon.config.read_setting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tambon.config import read_setting


@dataclass(frozen=True)
class ReportSettings:
    target_wait_minutes: float = 15.0    # REPORT_TARGET_WAIT_MINUTES: "served within the target" in the reports
    docx_font: str = "TH Sarabun New"    # REPORT_DOCX_FONT: the DOCX body font (the office's Word font)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ReportSettings:
        return cls(target_wait_minutes=float(read_setting("REPORT_TARGET_WAIT_MINUTES", 15, config)),
                   docx_font=str(read_setting("REPORT_DOCX_FONT", "TH Sarabun New", config)))
