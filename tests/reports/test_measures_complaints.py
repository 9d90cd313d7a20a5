"""Measures 9 and 10 of the measure report are written from the intake's figures (now that it exists)."""

from intake import complaints
from reports import measures
from tests.conftest import at


def submit(session, kind, subject, when):
    return complaints.submit(session, {"type": kind, "subject": subject, "details": f"รายละเอียด {subject}",
                                       "anonymous": True, "consent": True}, now=at(when))


def test_measures_9_and_10_count_what_intake_received(office):
    submit(office, "staff_conduct", "เจ้าหน้าที่พูดจาไม่สุภาพ", "2026-10-05 10:00")
    submit(office, "corruption", "เรียกรับเงินค่าดำเนินการ", "2026-10-06 11:00")
    submit(office, "complaint", "ถนนชำรุดหน้าบ้าน", "2026-10-07 09:00")
    submit(office, "question", "ขอทราบขั้นตอนขออนุญาตก่อสร้าง", "2026-11-02 14:00")
    submit(office, "praise", "ขอชมเจ้าหน้าที่ช่อง 2", "2026-11-03 15:00")
    submit(office, "complaint", "ก่อนปีงบประมาณ: ไม่นับ", "2026-09-30 16:00")  # fiscal 2569

    results = measures.data_results(office, 2570, tz="Asia/Bangkok", as_of=at("2026-11-24 12:00"))
    m9, m10 = results[9], results[10]
    # The first complaint (30 Sep 2569) came before fiscal 2570: the 2570 report does not date it.
    assert "เปิดรับเรื่องตั้งแต่ต้นปีงบประมาณ 2570" in m9 and "30 ก.ย. 2569" not in m9
    assert ("รับเรื่องทั้งหมด 5 เรื่อง เป็นเรื่องร้องเรียน 3 เรื่อง (ร้องเรียนทั่วไป 1 เรื่อง "
            "กรณีบุคลากรเลือกปฏิบัติ/ให้บริการไม่เป็นธรรม 1 เรื่อง การทุจริตและประพฤติมิชอบ 1 เรื่อง) "
            "และคำถาม ข้อเสนอแนะ คำชมเชย 2 เรื่อง") in m9
    assert "สอบถาม/ขอข้อมูล 1 เรื่อง" in m10 and "คำชมเชย 1 เรื่อง" in m10
    assert complaints_text_free_of_personal_data(m9 + m10)


def complaints_text_free_of_personal_data(text: str) -> bool:
    # The report states counts only: no subject line of any complaint reaches it.
    return "เจ้าหน้าที่พูดจาไม่สุภาพ" not in text and "เรียกรับเงิน" not in text
