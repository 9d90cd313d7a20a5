"""Which Thai word breaker wraps the ticket: PyThaiNLP (newmm) or ICU's BreakIterator (PyICU)?

    python -m bench.thai_wrap            # PyICU is optional: pip install pyicu (needs libicu-dev to build)

For service and office names an อบต. prints, each written out by hand as a reader would break it (the
compounds a line must not split, such as ผู้สูงอายุ or เงินอุดหนุน, kept whole), it counts the break positions
each breaker offers that fall inside such a word (bad: a line may end there), and the ones inside a syllable
(worse). Then the cost: microseconds per name, and the first call (dictionary load)."""

from __future__ import annotations

import time

# Words separated by "|" where a line may break; within a word it must not.
NAMES = [
    "ขอรับ|เงินอุดหนุน|เพื่อ|การพัฒนา|คุณภาพชีวิต|ผู้สูงอายุ|และ|ผู้พิการ|ใน|ตำบล",
    "ขึ้นทะเบียน|ผู้สูงอายุ|/|ผู้พิการ",
    "ชำระ|ภาษี|ที่ดิน|และ|สิ่งปลูกสร้าง",
    "ขออนุญาต|ก่อสร้าง|ดัดแปลง|รื้อถอน|หรือ|เคลื่อนย้าย|อาคาร",
    "ขอรับ|เบี้ยยังชีพ|ผู้สูงอายุ|และ|เบี้ย|ความพิการ",
    "แจ้ง|เรื่อง|ร้องเรียน|ร้องทุกข์|และ|ขอ|ความช่วยเหลือ",
    "ขออนุญาต|ประกอบ|กิจการ|ที่|เป็น|อันตราย|ต่อ|สุขภาพ",
    "จดทะเบียน|พาณิชย์",
    "ขอรับ|บริการ|รถบรรทุกน้ำ|อุปโภค|บริโภค",
    "ชำระ|ค่าธรรมเนียม|เก็บ|ขน|ขยะมูลฝอย",
    "องค์การบริหารส่วนตำบล|ทุ่งมะพร้าว",
    "กรุณา|รอ|ฟัง|เสียง|เรียก|หมายเลข|ของ|ท่าน",
]


def breakers() -> dict:
    from pythainlp.tokenize import word_tokenize

    found = {"PyThaiNLP newmm": lambda text: word_tokenize(text, engine="newmm", keep_whitespace=True)}
    try:
        import icu

        iterator = icu.BreakIterator.createWordInstance(icu.Locale("th"))

        def icu_words(text: str) -> list[str]:
            iterator.setText(text)
            words, start = [], iterator.first()
            for end in iterator:
                words.append(text[start:end])
                start = end
            return words

        found["ICU BreakIterator (PyICU)"] = icu_words
    except ImportError:
        pass
    return found


def positions(words: list[str]) -> set[int]:
    out, at = set(), 0
    for w in words[:-1]:
        at += len(w)
        out.add(at)
    return out


def main() -> None:
    from pythainlp.tokenize import subword_tokenize

    for name, split in breakers().items():
        t0 = time.perf_counter()
        split("ทดสอบ")
        first = time.perf_counter() - t0
        inside_word = inside_syllable = offered = 0
        for marked in NAMES:
            text = marked.replace("|", "")
            allowed = positions(marked.split("|"))
            syllables = positions(subword_tokenize(text, engine="tcc"))
            got = positions(split(text))
            offered += len(got)
            inside_word += len(got - allowed)
            inside_syllable += len(got - syllables)
        t0 = time.perf_counter()
        for _ in range(200):
            for marked in NAMES:
                split(marked.replace("|", ""))
        per_name = (time.perf_counter() - t0) / 200 / len(NAMES) * 1e6
        print(f"{name}: {offered} break positions on {len(NAMES)} names, {inside_word} inside a word, "
              f"{inside_syllable} inside a syllable; {per_name:.1f} µs per name, first call {first * 1000:.0f} ms")


if __name__ == "__main__":
    main()
