"""The complaint desk's configurable rules, read from app.config or the environment (README "Complaints").

Deadlines per type: ``COMPLAINT_DEADLINES="*:1/15c,question:1/7w"`` — acknowledge within N *working*
days; answer within M days, ``c`` = calendar days (the default, as the Royal Decree on Good Governance
B.E. 2546 s. 38 says "within fifteen days"; a deadline that falls on a weekend or holiday moves to the
next working day) or ``w`` = working days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from intake.models import TYPES
from tambon.config import read_setting

DEFAULT_DIVISIONS = (
    "สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา ศาสนาและวัฒนธรรม", "กองสาธารณสุขและสิ่งแวดล้อม",
    "กองสวัสดิการสังคม",
)


@dataclass(frozen=True)
class Deadline:
    ack_working_days: int = 1
    answer_days: int = 15
    answer_in_working_days: bool = False

    def describe_th(self) -> str:
        unit = "วันทำการ" if self.answer_in_working_days else "วัน"
        return f"ตอบรับภายใน {self.ack_working_days} วันทำการ · แจ้งผลภายใน {self.answer_days} {unit}"


def parse_deadlines(text: str) -> dict[str, Deadline]:
    """'*:1/15c,question:1/7w' → {type: Deadline}; ValueError with the bad part otherwise."""
    result: dict[str, Deadline] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            kind, spec = part.split(":")
            ack, answer = spec.split("/")
            unit = answer[-1].lower()
            if unit not in "cw":
                raise ValueError
            deadline = Deadline(int(ack), int(answer[:-1]), unit == "w")
        except ValueError as exc:
            raise ValueError(f"bad COMPLAINT_DEADLINES entry {part!r}; expected TYPE:ACK/ANSWER[c|w]") from exc
        if deadline.ack_working_days < 0 or deadline.answer_days < 1:
            raise ValueError(f"bad COMPLAINT_DEADLINES entry {part!r}")
        if kind != "*" and kind not in TYPES:
            raise ValueError(f"unknown complaint type {kind!r} in COMPLAINT_DEADLINES")
        result[kind] = deadline
    return result


def _get(config: dict[str, Any], name: str, default: Any) -> Any:
    return read_setting(name, default, config)


def _bool(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class IntakeSettings:
    timezone: str = "Asia/Bangkok"
    deadlines: dict[str, Deadline] = field(default_factory=lambda: {"*": Deadline()})
    divisions: tuple[str, ...] = DEFAULT_DIVISIONS
    builtin_holidays: bool = True           # the fixed-date national holidays (+ substitute days) by rule
    extra_holidays: tuple[str, ...] = ()    # ISO dates from COMPLAINT_HOLIDAYS
    nearly_due_working_days: int = 2
    duplicate_window_hours: int = 24
    max_files: int = 3
    max_file_bytes: int = 5 * 1024 * 1024
    max_image_pixels: int = 40_000_000
    rate_limit: str = "5 per minute;30 per day"
    pin_rate_limit: str = "20 per minute"
    open311_publish_text: bool = False      # publish subject/place in the public Open311 list
    open311_max_requests: int = 1000
    retention_days: int = 730
    digest_recipients: dict[str, str] = field(default_factory=dict)  # username → email
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "noreply@localhost"
    smtp_starttls: bool = True

    def deadline_for(self, complaint_type: str) -> Deadline:
        return self.deadlines.get(complaint_type) or self.deadlines.get("*") or Deadline()

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> IntakeSettings:
        deadlines = _get(config, "COMPLAINT_DEADLINES", "")
        if isinstance(deadlines, str):
            deadlines = {"*": Deadline(), **parse_deadlines(deadlines)}
        divisions = _get(config, "COMPLAINT_DIVISIONS", None)
        if isinstance(divisions, str):
            divisions = tuple(d.strip() for d in divisions.split(",") if d.strip())
        extra = _get(config, "COMPLAINT_HOLIDAYS", "")
        if isinstance(extra, str):
            extra = tuple(d.strip() for d in extra.split(",") if d.strip())
        recipients = _get(config, "COMPLAINT_DIGEST_EMAILS", "")
        if isinstance(recipients, str):
            recipients = dict(p.strip().split("=", 1) for p in recipients.split(",") if "=" in p)
        return cls(
            timezone=config.get("TAMBON_TIMEZONE", "Asia/Bangkok"),
            deadlines=deadlines,
            divisions=tuple(divisions) if divisions else DEFAULT_DIVISIONS,
            builtin_holidays=_bool(_get(config, "COMPLAINT_BUILTIN_HOLIDAYS", True)),
            extra_holidays=tuple(extra),
            nearly_due_working_days=int(_get(config, "COMPLAINT_NEARLY_DUE_WORKING_DAYS", 2)),
            duplicate_window_hours=int(_get(config, "COMPLAINT_DUPLICATE_WINDOW_HOURS", 24)),
            max_files=int(_get(config, "COMPLAINT_MAX_FILES", 3)),
            max_file_bytes=int(_get(config, "COMPLAINT_MAX_FILE_BYTES", 5 * 1024 * 1024)),
            rate_limit=str(_get(config, "COMPLAINT_RATE_LIMIT", "5 per minute;30 per day")),
            pin_rate_limit=str(_get(config, "COMPLAINT_PIN_RATE_LIMIT", "20 per minute")),
            open311_publish_text=_bool(_get(config, "OPEN311_PUBLISH_TEXT", False)),
            open311_max_requests=int(_get(config, "OPEN311_MAX_REQUESTS", 1000)),
            retention_days=int(_get(config, "COMPLAINT_RETENTION_DAYS", 730)),
            digest_recipients=dict(recipients or {}),
            smtp_host=_get(config, "SMTP_HOST", None) or None,
            smtp_port=int(_get(config, "SMTP_PORT", 587)),
            smtp_user=_get(config, "SMTP_USER", None) or None,
            smtp_password=_get(config, "SMTP_PASSWORD", None) or None,
            smtp_from=str(_get(config, "SMTP_FROM", "noreply@localhost")),
            smtp_starttls=_bool(_get(config, "SMTP_STARTTLS", True)),
        )


DEFAULT_SETTINGS = IntakeSettings()
