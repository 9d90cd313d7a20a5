"""Thai voice calls produced by the server: "ขอเชิญหมายเลข A 0 0 7 ที่ช่องบริการ 2".

A TV browser often has no Thai speech voice, so the server assembles each call from short clips (one per
word, digit and letter) into one WAV file, cached by its text. The clips ship in ``display/voice/clips``;
they were generated with Debian's espeak-ng Thai voice by ``tambon display voice-clips`` (the command
re-creates them, e.g. after changing a word). A recorded human voice can replace any clip: same file
name, mono 16-bit PCM at 22 050 Hz. The chime is synthesised here (two soft tones), no third-party audio.

espeak-ng is GPL-3.0 software; the audio it outputs is not covered by its licence, and it is not needed at
runtime. No cloud speech service is ever used.
"""

from __future__ import annotations

import array
import hashlib
import io
import math
import re
import shutil
import subprocess
import wave
from pathlib import Path

CLIPS_DIR = Path(__file__).resolve().parent / "voice" / "clips"
RATE = 22050
GAP_MS = 60           # between the letters/digits of a number
PHRASE_GAP_MS = 220   # between "ขอเชิญหมายเลข", the number, "ที่ช่องบริการ" and the counter

# clip name -> the Thai text espeak-ng speaks for it
WORDS = {
    "invite": "ขอเชิญหมายเลข",
    "at_counter": "ที่ช่องบริการ",
    "again": "เรียกซ้ำ",
    "ten": "สิบ",
    "twenty": "ยี่",
    "one_unit": "เอ็ด",
}
DIGITS = {str(i): word for i, word in enumerate(
    ["ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"])}
LETTERS = {
    "A": "เอ", "B": "บี", "C": "ซี", "D": "ดี", "E": "อี", "F": "เอฟ", "G": "จี", "H": "เอช", "I": "ไอ",
    "J": "เจ", "K": "เค", "L": "แอล", "M": "เอ็ม", "N": "เอ็น", "O": "โอ", "P": "พี", "Q": "คิว", "R": "อาร์",
    "S": "เอส", "T": "ที", "U": "ยู", "V": "วี", "W": "ดับเบิลยู", "X": "เอ็กซ์", "Y": "วาย", "Z": "แซด",
}


def clip_texts() -> dict[str, str]:
    """Every clip file name (without .wav) and the Thai it says."""
    texts = dict(WORDS)
    texts.update({f"digit_{d}": w for d, w in DIGITS.items()})
    texts.update({f"letter_{c}": w for c, w in LETTERS.items()})
    return texts


NUMBER_RE = re.compile(r"^[A-Z]{0,3}[0-9]{1,4}$")


class CannotSpeak(ValueError):
    """The number or counter has a character we have no clip for: the browser's speech takes over."""


def number_tokens(number: str) -> list[str]:
    """A007 -> letter_A digit_0 digit_0 digit_7: a ticket number is read character by character."""
    if not NUMBER_RE.match(number or ""):
        raise CannotSpeak(number)
    return [f"letter_{ch}" if ch.isalpha() else f"digit_{ch}" for ch in number]


def counter_tokens(counter_no: int) -> list[str]:
    """A counter number 1–99 read as a Thai number: 2 สอง, 10 สิบ, 11 สิบเอ็ด, 21 ยี่สิบเอ็ด, 35 สามสิบห้า."""
    if not 1 <= counter_no <= 99:
        raise CannotSpeak(str(counter_no))
    tens, units = divmod(counter_no, 10)
    tokens: list[str] = []
    if tens == 2:
        tokens += ["twenty", "ten"]
    elif tens > 2:
        tokens += [f"digit_{tens}", "ten"]
    elif tens == 1:
        tokens += ["ten"]
    if units == 1 and tens:
        tokens.append("one_unit")
    elif units:
        tokens.append(f"digit_{units}")
    return tokens


def spoken_text(number: str, counter_no: int, recall: bool = False) -> str:
    """The same call as text, for the browser's speech synthesis fallback and for captions."""
    spaced = " ".join(number)
    text = f"ขอเชิญหมายเลข {spaced} ที่ช่องบริการ {counter_no}"
    return f"เรียกซ้ำ {text}" if recall else text


def call_tokens(number: str, counter_no: int, recall: bool = False) -> list[list[str]]:
    """Phrases of clip names: [[again]], [invite], [A, 0, 0, 7], [at_counter], [2]."""
    phrases = [["invite"], number_tokens(number), ["at_counter"], counter_tokens(counter_no)]
    return ([["again"]] if recall else []) + phrases


# --- audio ------------------------------------------------------------------------------------------

def _read_clip(name: str, clips_dir: Path) -> array.array:
    path = clips_dir / f"{name}.wav"
    if not path.exists():
        raise CannotSpeak(name)
    with wave.open(str(path), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2 or wav.getframerate() != RATE:
            raise ValueError(f"{path}: clips must be mono 16-bit {RATE} Hz")
        samples = array.array("h")
        samples.frombytes(wav.readframes(wav.getnframes()))
    return samples


def _silence(ms: int) -> array.array:
    return array.array("h", bytes(2 * (RATE * ms // 1000)))


def _to_wav(samples: array.array) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def assemble(phrases: list[list[str]], clips_dir: Path = CLIPS_DIR) -> bytes:
    samples = _silence(80)
    for i, phrase in enumerate(phrases):
        if i:
            samples.extend(_silence(PHRASE_GAP_MS))
        for j, name in enumerate(phrase):
            if j:
                samples.extend(_silence(GAP_MS))
            samples.extend(_read_clip(name, clips_dir))
    samples.extend(_silence(150))
    return _to_wav(samples)


def call_wav(number: str, counter_no: int, recall: bool, cache_dir: Path, clips_dir: Path = CLIPS_DIR) -> Path:
    """The WAV of one call, assembled once and cached under the instance folder."""
    phrases = call_tokens(number, counter_no, recall)
    key = hashlib.sha256(repr((phrases, _clips_version(clips_dir))).encode()).hexdigest()[:24]
    path = cache_dir / f"{key}.wav"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{id(phrases)}.tmp")
        tmp.write_bytes(assemble(phrases, clips_dir))
        tmp.replace(path)  # atomic: a concurrent reader never sees half a file
    return path


def _clips_version(clips_dir: Path) -> float:
    """Cache key part: a re-generated or replaced clip invalidates the cached calls."""
    return max((p.stat().st_mtime for p in clips_dir.glob("*.wav")), default=0.0)


def chime_wav() -> bytes:
    """A two-tone "ding-dong" (E6 then C6) with a soft decay, synthesised in code."""
    samples = array.array("h")
    for freq, ms in ((1318.5, 420), (1046.5, 700)):
        count = RATE * ms // 1000
        for n in range(count):
            t = n / RATE
            envelope = min(1.0, n / (RATE * 0.01)) * math.exp(-3.2 * t)
            value = (math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(2 * math.pi * 2 * freq * t)) / 1.3
            samples.append(int(11000 * envelope * value))
    samples.extend(_silence(120))
    return _to_wav(samples)


def wav_duration(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


# --- generating the clips (developer command; needs espeak-ng) ----------------------------------------

def _trim(samples: array.array, threshold: int = 300, pad: int = RATE // 100) -> array.array:
    """Cut the leading and trailing silence espeak-ng leaves, keeping 10 ms either side."""
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return samples
    return samples[max(0, loud[0] - pad): min(len(samples), loud[-1] + pad)]


def generate_clips(clips_dir: Path = CLIPS_DIR, *, speed: int = 150, voice: str = "th") -> list[str]:
    """Speak every clip with espeak-ng's Thai voice and store it trimmed. Returns the clip names."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise RuntimeError("espeak-ng not found (Debian: apt-get install espeak-ng)")
    clips_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(clip_texts().items()):
        raw = subprocess.run([espeak, "-v", voice, "-s", str(speed), "--stdout", text],
                             check=True, capture_output=True).stdout
        with wave.open(io.BytesIO(raw), "rb") as wav:
            if wav.getframerate() != RATE or wav.getsampwidth() != 2:
                raise RuntimeError("unexpected espeak-ng output format")
            samples = array.array("h")
            samples.frombytes(wav.readframes(wav.getnframes()))
        (clips_dir / f"{name}.wav").write_bytes(_to_wav(_trim(samples)))
        written.append(name)
    return written
