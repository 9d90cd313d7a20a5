"""Thai and English names of complaint types, statuses, channels and QR sources (data, like a service's
name_th/name_en: the API returns both, pages pick by language)."""

from __future__ import annotations

TYPE = {
    "staff_conduct": ("ร้องเรียนพฤติกรรมเจ้าหน้าที่ / เลือกปฏิบัติ / ให้บริการไม่เป็นธรรม",
                      "Staff conduct, discrimination or unfair service"),
    "corruption": ("แจ้งเบาะแสการทุจริตและประพฤติมิชอบ", "Corruption or misconduct report"),
    "complaint": ("ร้องทุกข์ / ร้องเรียนทั่วไป / ขอความช่วยเหลือ", "General complaint or request"),
    "question": ("สอบถาม / ขอข้อมูลข่าวสาร", "Question or request for information"),
    "praise": ("ชมเชย", "Praise"),
    "suggestion": ("ข้อเสนอแนะ / ติชม", "Suggestion or criticism"),
}
TYPE_SHORT = {
    "staff_conduct": ("พฤติกรรมเจ้าหน้าที่", "Staff conduct"),
    "corruption": ("ทุจริต/ประพฤติมิชอบ", "Corruption"),
    "complaint": ("ร้องทุกข์/ร้องเรียน", "Complaint"),
    "question": ("สอบถาม", "Question"),
    "praise": ("ชมเชย", "Praise"),
    "suggestion": ("ข้อเสนอแนะ", "Suggestion"),
}
STATUS = {
    "received": ("รับเรื่องแล้ว", "Received"),
    "acknowledged": ("ตอบรับเรื่องแล้ว", "Acknowledged"),
    "assigned": ("ส่งหน่วยงานรับผิดชอบแล้ว", "Assigned to a division"),
    "in_progress": ("อยู่ระหว่างดำเนินการ", "In progress"),
    "reopened": ("ผู้ร้องแจ้งว่ายังไม่ได้รับการแก้ไข", "Reopened: not solved"),
    "answered": ("แจ้งผลแล้ว", "Answered"),
    "closed": ("ยุติเรื่องแล้ว", "Closed"),
    "rejected": ("ไม่รับไว้พิจารณา", "Rejected"),
    "forwarded": ("ส่งต่อหน่วยงานอื่นแล้ว", "Forwarded to another agency"),
}
CHANNEL = {
    "web": ("เว็บไซต์ / QR code", "Web form / QR code"),
    "open311": ("ระบบรับเรื่องออนไลน์ (Open311)", "Online request system (Open311)"),
    "phone": ("โทรศัพท์", "Phone"),
    "walk_in": ("มาด้วยตนเอง", "Walk-in"),
    "letter": ("หนังสือ / จดหมาย", "Letter"),
    "suggestion_box": ("ตู้รับฟังความคิดเห็น", "Suggestion box"),
    "facebook": ("Facebook", "Facebook"),
    "line": ("LINE", "LINE"),
    "email": ("อีเมล", "E-mail"),
}
SOURCE = {
    "counter": ("เคาน์เตอร์บริการ", "Service counter"),
    "notice_board": ("บอร์ดประชาสัมพันธ์", "Notice board"),
    "kiosk": ("ตู้บัตรคิว", "Queue kiosk"),
    "ticket": ("บัตรคิว", "Queue ticket"),
    "website": ("เว็บไซต์ อบต.", "Office website"),
    "facebook": ("เพจ Facebook", "Facebook page"),
    "line": ("LINE OA", "LINE official account"),
}
EVENT = {
    "submitted": ("รับเรื่อง", "Received"),
    "acknowledged": ("ตอบรับเรื่อง", "Acknowledged"),
    "assigned": ("มอบหมาย", "Assigned"),
    "progress": ("ความคืบหน้า", "Progress"),
    "note": ("บันทึกภายใน", "Internal note"),
    "answered": ("แจ้งผล", "Answered"),
    "closed": ("ยุติเรื่อง", "Closed"),
    "rejected": ("ไม่รับไว้พิจารณา", "Rejected"),
    "forwarded": ("ส่งต่อหน่วยงานอื่น", "Forwarded"),
    "reopened": ("ผู้ร้องแจ้งว่ายังไม่ได้รับการแก้ไข", "Reopened by the citizen"),
    "named_staff": ("บันทึกเจ้าหน้าที่ที่ถูกร้องเรียน", "Named staff member recorded"),
    "named_staff_cleared": ("ล้างชื่อเจ้าหน้าที่ที่ถูกร้องเรียน", "Named staff member cleared"),
    "purged": ("ลบข้อมูลส่วนบุคคลตามระยะเวลาเก็บรักษา", "Personal data purged (retention)"),
    "notices_stopped": ("หยุดส่งการแจ้งผลให้ผู้ร้อง", "Notices to the citizen stopped"),
}

# ITA categories. Complaints (general / staff conduct / corruption) are what the ITA complaint summary and
# measure 9 count; questions, suggestions and praise are measure 10's feedback, never counted as complaints.
CATEGORY = {
    "general": ("เรื่องร้องเรียนทั่วไป", "General complaints"),
    "staff_conduct": ("เรื่องร้องเรียนกรณีบุคลากรเลือกปฏิบัติ/ให้บริการไม่เป็นธรรม",
                      "Complaints about staff conduct or unfair service"),
    "corruption": ("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "Corruption and misconduct complaints"),
    "feedback": ("คำถาม ข้อเสนอแนะ และคำชมเชย (ไม่ใช่เรื่องร้องเรียน)",
                 "Questions, suggestions and praise (not complaints)"),
}
CATEGORY_TYPES = {
    "general": ("complaint",),
    "staff_conduct": ("staff_conduct",),
    "corruption": ("corruption",),
    "feedback": ("question", "suggestion", "praise"),
}
COMPLAINT_CATEGORIES = ("general", "staff_conduct", "corruption")
COMPLAINT_TYPES = tuple(t for c in COMPLAINT_CATEGORIES for t in CATEGORY_TYPES[c])
FEEDBACK_TYPES = CATEGORY_TYPES["feedback"]
# A complaint no division has taken yet.
DIVISION = {"": ("ยังไม่ได้มอบหมายหน่วยงาน", "Not yet assigned to a division")}


def category_of(complaint_type: str) -> str:
    """The ITA category of a complaint type (an unknown type is a general complaint)."""
    for category, types in CATEGORY_TYPES.items():
        if complaint_type in types:
            return category
    return "general"


def division(name: str | None, lang: str = "th") -> str:
    """A division's own name, or the Thai/English words for "not yet assigned"."""
    return name if name else DIVISION[""][1 if lang == "en" else 0]


TABLES = {"category": CATEGORY, "type": TYPE, "type_short": TYPE_SHORT, "status": STATUS, "channel": CHANNEL, "source": SOURCE,
          "event": EVENT}


def th(kind: str, value: str | None) -> str:
    return TABLES[kind].get(value or "", (value or "", value or ""))[0]


def en(kind: str, value: str | None) -> str:
    return TABLES[kind].get(value or "", (value or "", value or ""))[1]


def label(kind: str, value: str | None, lang: str = "th") -> str:
    return en(kind, value) if lang == "en" else th(kind, value)
