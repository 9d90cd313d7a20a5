"""Configuration of citizen notices (README "Notices to citizens: LINE, SMS, e-mail").

Everything is off, and nothing about LINE or SMS appears on any page, until the office configures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tambon.config import read_setting

LINE_API_DEFAULT = "https://api.line.me"

SMS_CONSENT_TH = ("ข้าพเจ้ายินยอมให้องค์การบริหารส่วนตำบลเก็บหมายเลขโทรศัพท์มือถือนี้ไว้ เพื่อส่ง SMS แจ้งความคืบหน้า"
                  "ของเรื่องหรือคิวนี้เท่านั้น และลบเมื่อพ้นกำหนดเก็บรักษา ยกเลิกได้ทุกเมื่อที่สำนักงาน "
                  "(พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562)")


def _get(config: dict[str, Any], name: str, default: Any = None) -> Any:
    return read_setting(name, default, config)


@dataclass(frozen=True)
class NotifySettings:
    line_channel_secret: str | None = None
    line_access_token: str | None = None
    line_api_base_url: str = LINE_API_DEFAULT
    line_oa_id: str | None = None             # the OA's basic id, e.g. "@123abcde": the add-friend QR
    link_code_ttl_minutes: int = 24 * 60
    queue_near_threshold: int = 3             # "อีก 3 คิวจะถึงคิวของท่าน"
    sms_api_url: str = "https://api-v2.thaibulksms.com/sms"
    sms_api_key: str | None = None
    sms_api_secret: str | None = None
    sms_sender: str = "SMS"                   # a sender name registered with the gateway
    sms_force: str = "standard"               # ThaiBulkSMS credit type: standard | corporate
    sms_monthly_cap: int = 500                # SMS per calendar month (office's local time); 0 = none at all
    timezone: str = "Asia/Bangkok"
    office_name: str = ""
    timeout: float = 10.0                     # seconds for one call to LINE or the SMS gateway
    retry_base: float = 5.0                   # back-off: 5 s, 10 s, 20 s … up to retry_max
    retry_max: float = 900.0
    max_attempts: int = 12
    send_lease: float = 120.0                 # a 'sending' notice older than this belongs to a dead worker
    poll: float = 5.0                         # seconds between passes when nothing nudges the worker

    @property
    def line_enabled(self) -> bool:
        return bool(self.line_channel_secret and self.line_access_token)

    @property
    def sms_enabled(self) -> bool:
        return bool(self.sms_api_key and self.sms_api_secret)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> NotifySettings:
        oa = (_get(config, "LINE_OA_ID") or "").strip() or None
        if oa and not oa.startswith("@"):
            oa = "@" + oa
        return cls(
            line_channel_secret=_get(config, "LINE_CHANNEL_SECRET") or None,
            line_access_token=_get(config, "LINE_CHANNEL_ACCESS_TOKEN") or None,
            line_api_base_url=(_get(config, "LINE_API_BASE_URL") or LINE_API_DEFAULT).rstrip("/"),
            line_oa_id=oa,
            link_code_ttl_minutes=int(_get(config, "LINE_LINK_CODE_TTL_MINUTES", 24 * 60)),
            queue_near_threshold=int(_get(config, "NOTIFY_QUEUE_NEAR", 3)),
            sms_api_url=_get(config, "SMS_API_URL") or "https://api-v2.thaibulksms.com/sms",
            sms_api_key=_get(config, "SMS_API_KEY") or None,
            sms_api_secret=_get(config, "SMS_API_SECRET") or None,
            sms_sender=_get(config, "SMS_SENDER") or "SMS",
            sms_force=_get(config, "SMS_CREDIT_TYPE") or "standard",
            sms_monthly_cap=int(_get(config, "SMS_MONTHLY_CAP", 500)),
            timezone=config.get("TAMBON_TIMEZONE", "Asia/Bangkok"),
            office_name=config.get("OFFICE_NAME", ""),
            timeout=float(_get(config, "NOTIFY_TIMEOUT", 10)),
            retry_base=float(_get(config, "NOTIFY_RETRY_BASE", 5)),
            retry_max=float(_get(config, "NOTIFY_RETRY_MAX", 900)),
            max_attempts=int(_get(config, "NOTIFY_MAX_ATTEMPTS", 12)),
            poll=float(_get(config, "NOTIFY_POLL", 5)),
        )
