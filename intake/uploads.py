"""Photos and PDFs from citizens, checked by what they contain, never by their names.

Images must decode with Pillow as JPEG, PNG or WebP and are re-encoded (which also drops EXIF metadata
such as the GPS position of the phone). PDFs must start with ``%PDF-`` and end with ``%%EOF``. A file whose
extension claims another type than its content is refused, as is anything else (HTML, scripts, programs).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from tambon.concurrency import run_cpu_bound
from tambon.errors import DomainError, Invalid

IMAGE_FORMATS = {"JPEG": ("image/jpeg", (".jpg", ".jpeg")), "PNG": ("image/png", (".png",)),
                 "WEBP": ("image/webp", (".webp",))}
PDF = ("application/pdf", (".pdf",))
ALLOWED_EXTENSIONS = tuple(e for _t, exts in (*IMAGE_FORMATS.values(), PDF) for e in exts)


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _extension(filename: str) -> str:
    match = re.search(r"(\.[A-Za-z0-9]{1,8})$", filename or "")
    return match.group(1).lower() if match else ""


def safe_filename(filename: str, fallback_ext: str) -> str:
    base = re.sub(r"[^\w\u0E00-\u0E7F.\- ]+", "_", (filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    base = base.strip(" .") or "file"
    stem = base.rsplit(".", 1)[0][:80] or "file"
    return stem + fallback_ext


def too_large(name: str, limit: int) -> DomainError:
    mb = limit / (1024 * 1024)
    return DomainError("file_too_large", f"ไฟล์ {name} มีขนาดใหญ่เกิน {mb:g} MB กรุณาย่อขนาดรูปหรือแยกส่ง",
                       f"File {name} is larger than {mb:g} MB; please make it smaller", status=413)


def check_file(filename: str, data: bytes, *, max_bytes: int, max_pixels: int = 40_000_000) -> CheckedFile:
    name = (filename or "file")[:100]
    if len(data) > max_bytes:
        raise too_large(name, max_bytes)
    if not data:
        raise Invalid("empty_file", f"ไฟล์ {name} ว่างเปล่า", f"File {name} is empty")
    ext = _extension(filename)
    if data[:5] == b"%PDF-":
        if b"%%EOF" not in data[-1024:]:
            raise Invalid("bad_pdf", f"ไฟล์ {name} ไม่ใช่ PDF ที่สมบูรณ์", f"File {name} is not a complete PDF")
        if ext not in PDF[1]:
            raise _lying(name, ext, "PDF")
        return CheckedFile(safe_filename(filename, ".pdf"), PDF[0], data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if probe.width * probe.height > max_pixels:
                    raise Invalid("image_too_big", f"รูป {name} มีความละเอียดสูงเกินไป",
                                  f"Image {name} has too many pixels")
                probe.verify()
            if kind is None or kind not in IMAGE_FORMATS:
                raise Invalid("bad_file_type",
                              f"ไฟล์ {name} เป็นรูปชนิด {kind} ซึ่งระบบไม่รับ (รับ JPEG, PNG, WebP, PDF)",
                              f"File {name} is a {kind} image; only JPEG, PNG, WebP and PDF are accepted")
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                clean = _reencode(image, kind)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise Invalid("bad_file_type",
                      f"ไฟล์ {name} ไม่ใช่รูปภาพ (JPEG, PNG, WebP) หรือ PDF ตามที่ระบบรับ",
                      f"File {name} is not a JPEG, PNG or WebP image or a PDF", filename=name) from exc
    content_type, exts = IMAGE_FORMATS[kind]
    if ext not in exts:
        raise _lying(name, ext, kind)
    return CheckedFile(safe_filename(filename, exts[0]), content_type, clean)


def _lying(name: str, ext: str, actual: str) -> Invalid:
    return Invalid("extension_mismatch",
                   f"ชื่อไฟล์ {name} ลงท้ายด้วย {ext or '(ไม่มีนามสกุล)'} แต่เนื้อไฟล์เป็น {actual} กรุณาตรวจสอบไฟล์",
                   f"File {name} is named {ext or '(no extension)'} but contains {actual}", filename=name)


def _reencode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif kind == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=88)
    return out.getvalue()


def check_files(files: list[tuple[str, bytes]], *, max_files: int, max_bytes: int,
                max_pixels: int = 40_000_000) -> list[CheckedFile]:
    files = [(n, d) for n, d in files if n or d]
    if len(files) > max_files:
        raise Invalid("too_many_files", f"แนบไฟล์ได้ไม่เกิน {max_files} ไฟล์", f"At most {max_files} files")
    # Decoding and re-encoding a phone photo takes a few hundred milliseconds: off the request loop.
    return [run_cpu_bound(check_file, n, d, max_bytes=max_bytes, max_pixels=max_pixels) for n, d in files]
