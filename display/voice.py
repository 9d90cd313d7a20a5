"""Thai voice calls produced by the server: "ขอเชิญหมายเลข เอ ศูนย์ ศูนย์ เจ็ด ที่ ช่อง สอง".

A TV browser often has no Thai speech voice, so the server assembles each call from short clips (one per
word of ``WORDS``) into one WAV file, cached by what it says and which clips it used.

- ``WORDS`` is the one table of what can be said: the phrases, the counter words, digits, the parts of a
  Thai number and the letters as Thai reads them (เอ บี ซี ดี …). Each word has its Thai text and the
  espeak-ng phonemes it is generated from.
- The generated clips ship in ``display/voice/clips`` (with ``manifest.json``: the text and phonemes
  each was made from), re-created by ``tambon display voice-clips`` (needs Debian's ``espeak-ng``). The
  phonemes are spelled out because espeak-ng's Thai spelling rules lose most vowels (บี, ดี, ซี and สี่
  all came out as one sound) and every tone (สี่ and ซี were byte-identical).
- An office can record its own voice: a WAV or MP3 per word in ``instance/voice-pack/`` (the admin page
  ``/display/voice-pack`` or a file dropped there); any word without one uses the generated clip.
- Every clip, generated or recorded, is decoded to mono 16-bit 22 050 Hz, trimmed of silence and brought
  to one loudness, so no word of a call is quieter than the others.

espeak-ng is GPL-3.0 software; the audio it outputs is not covered by its licence, and it is not needed at
run time. No cloud speech service is ever used.
"""

from __future__ import annotations

import array
import hashlib
import io
import json
import math
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

CLIPS_DIR = Path(__file__).resolve().parent / "voice" / "clips"
MANIFEST = "manifest.json"
PACK_DIR_NAME = "voice-pack"     # under the instance folder: the office's own recordings
CACHE_DIR_NAME = "voice-cache"   # under the instance folder: assembled calls
RATE = 22050
GAP_MS = 60           # between the letters/digits of a number
PHRASE_GAP_MS = 220   # between "ขอเชิญหมายเลข", the number, "ที่" and the counter
TARGET_RMS = 3300     # loudness of the voiced part of every clip (about -20 dBFS)
PEAK_LIMIT = 29000    # no sample above this after levelling (about -1 dBFS)
MAX_CLIP_SECONDS = 6.0
MAX_CLIP_BYTES = 2 * 1024 * 1024
PACK_EXTENSIONS = (".wav", ".mp3")

# espeak-ng's Thai tone phonemes, measured from its pitch contours (Debian espeak-ng 1.51).
TONES = {"M": "3", "L": "2", "F": "5", "H": "4", "R": "1"}


@dataclass(frozen=True)
class Word:
    name: str      # clip file name, also the key of an office's recording
    text: str      # Thai as written (what the admin page shows, what the spoken-name parser matches)
    phonemes: str  # espeak-ng Thai phonemes, one syllable per space, each ending with its tone letter


def _words(*rows: tuple[str, str, str]) -> dict[str, Word]:
    return {name: Word(name, text, phonemes) for name, text, phonemes in rows}


# The one table. Tone letters: M mid, L low, F falling, H high, R rising.
WORDS = _words(
    ("invite", "ขอเชิญหมายเลข", "khO:R tS@:nM ma:jR le:kF"),
    ("again", "เรียกซ้ำ", "riakF samH"),
    ("at", "ที่", "thi:F"),
    ("counter", "ช่อง", "tSO:NF"),
    ("service_counter", "ช่องบริการ", "tSO:NF bO:M riH ka:nM"),
    ("table", "โต๊ะ", "toH"),
    ("room", "ห้อง", "hO:NF"),
    ("point", "จุด", "cutL"),
    ("hundred", "ร้อย", "rO:jH"),
    ("ten", "สิบ", "sipL"),
    ("twenty", "ยี่", "ji:F"),
    ("one_unit", "เอ็ด", "?etL"),
    ("digit_0", "ศูนย์", "su:nR"),
    ("digit_1", "หนึ่ง", "nueNL"),
    ("digit_2", "สอง", "sO:NR"),
    ("digit_3", "สาม", "sa:mR"),
    ("digit_4", "สี่", "si:L"),
    ("digit_5", "ห้า", "ha:F"),
    ("digit_6", "หก", "hokL"),
    ("digit_7", "เจ็ด", "cetL"),
    ("digit_8", "แปด", "pE:tL"),
    ("digit_9", "เก้า", "kawF"),
    ("letter_A", "เอ", "?e:M"),
    ("letter_B", "บี", "bi:M"),
    ("letter_C", "ซี", "si:M"),
    ("letter_D", "ดี", "di:M"),
    ("letter_E", "อี", "?i:M"),
    ("letter_F", "เอฟ", "?e:fH"),
    ("letter_G", "จี", "ci:M"),
    ("letter_H", "เอช", "?e:tSH"),
    ("letter_I", "ไอ", "?ajM"),
    ("letter_J", "เจ", "ce:M"),
    ("letter_K", "เค", "khe:M"),
    ("letter_L", "แอล", "?E:wM"),
    ("letter_M", "เอ็ม", "?emM"),
    ("letter_N", "เอ็น", "?enM"),
    ("letter_O", "โอ", "?o:M"),
    ("letter_P", "พี", "phi:M"),
    ("letter_Q", "คิว", "khiwM"),
    ("letter_R", "อาร์", "?a:M"),
    ("letter_S", "เอส", "?e:sH"),
    ("letter_T", "ที", "thi:M"),
    ("letter_U", "ยู", "ju:M"),
    ("letter_V", "วี", "wi:M"),
    ("letter_W", "ดับเบิลยู", "dapH b@:nF ju:M"),
    ("letter_X", "เอ็กซ์", "?ekH"),
    ("letter_Y", "วาย", "wa:jM"),
    ("letter_Z", "แซด", "sE:tH"),
)
COUNTER_WORDS = ("counter", "service_counter", "table", "room", "point")


def clip_texts() -> dict[str, str]:
    """Every clip file name (without .wav) and the Thai it says."""
    return {name: word.text for name, word in WORDS.items()}


def espeak_input(word: Word) -> str:
    """'khO:R ch@:nM' -> '[[kh'O:1 ch'@:n3]]': a stress mark before each syllable's vowel, tone digit after."""
    syllables = []
    for syllable in word.phonemes.split():
        body, tone = syllable[:-1], TONES[syllable[-1]]
        vowel = re.search(r"[aeiouEO@]", body)
        if vowel is None:
            raise ValueError(f"{word.name}: no vowel in {syllable}")
        syllables.append(f"{body[:vowel.start()]}'{body[vowel.start():]}{tone}")
    return f"[[{' '.join(syllables)}]]"


NUMBER_RE = re.compile(r"^[A-Z]{0,3}[0-9]{1,4}$")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
SPOKEN_NAME_MAX = 100


class CannotSpeak(ValueError):
    """The number or counter has a character we have no clip for: the browser's speech takes over."""


def number_tokens(number: str) -> list[str]:
    """A007 -> letter_A digit_0 digit_0 digit_7: a ticket number is read character by character."""
    if not NUMBER_RE.match(number or ""):
        raise CannotSpeak(number)
    return [f"letter_{ch}" if ch.isalpha() else f"digit_{ch}" for ch in number]


def counter_tokens(counter_no: int) -> list[str]:
    """A number 1–999 read the Thai way: 2 สอง, 10 สิบ, 11 สิบเอ็ด, 21 ยี่สิบเอ็ด, 35 สามสิบห้า,
    101 หนึ่งร้อยเอ็ด, 250 สองร้อยห้าสิบ."""
    if not 1 <= counter_no <= 999:
        raise CannotSpeak(str(counter_no))
    hundreds, rest = divmod(counter_no, 100)
    tens, units = divmod(rest, 10)
    tokens: list[str] = [f"digit_{hundreds}", "hundred"] if hundreds else []
    if tens == 2:
        tokens += ["twenty", "ten"]
    elif tens > 2:
        tokens += [f"digit_{tens}", "ten"]
    elif tens == 1:
        tokens += ["ten"]
    if units == 1 and (tens or hundreds):
        tokens.append("one_unit")
    elif units:
        tokens.append(f"digit_{units}")
    return tokens


# Longest Thai text first, so "ช่องบริการ" is one word and not "ช่อง" + the rest.
_BY_TEXT = sorted(((w.text, w.name) for w in WORDS.values()), key=lambda pair: -len(pair[0]))


def spoken_name_tokens(spoken: str) -> list[str]:
    """'ช่อง 12' -> counter ten digit_2; 'โต๊ะ B' -> table letter_B. Words of the table, numbers 1–999
    (Arabic or Thai digits) and Latin letters, spaces between them optional. Anything else: CannotSpeak."""
    rest = (spoken or "").translate(THAI_DIGITS).strip()
    if not rest or len(rest) > SPOKEN_NAME_MAX:
        raise CannotSpeak(spoken)
    tokens: list[str] = []
    while rest:
        if rest[0].isspace():
            rest = rest[1:]
            continue
        digits = re.match(r"[0-9]+", rest)
        if digits:
            tokens += counter_tokens(int(digits.group()))
            rest = rest[digits.end():]
            continue
        if "A" <= rest[0].upper() <= "Z" and rest[0].isascii():
            tokens.append(f"letter_{rest[0].upper()}")
            rest = rest[1:]
            continue
        for text, name in _BY_TEXT:
            if rest.startswith(text):
                tokens.append(name)
                rest = rest[len(text):]
                break
        else:
            raise CannotSpeak(spoken)
    return tokens


def check_spoken_name(spoken: str) -> str:
    """The spoken name cleaned, or CannotSpeak naming what the voice can say."""
    spoken = " ".join((spoken or "").split())
    spoken_name_tokens(spoken)
    return spoken


def spoken_text(number: str, spoken_name: str, recall: bool = False) -> str:
    """The same call as text, for the browser's speech synthesis fallback and for captions."""
    text = f"ขอเชิญหมายเลข {' '.join(number)} ที่ {spoken_name}"
    return f"เรียกซ้ำ {text}" if recall else text


def call_tokens(number: str, spoken_name: str, recall: bool = False) -> list[list[str]]:
    """Phrases of clip names: [[again]], [invite], [A, 0, 0, 7], [at], [counter, 2]."""
    phrases = [["invite"], number_tokens(number), ["at"], spoken_name_tokens(spoken_name)]
    return ([["again"]] if recall else []) + phrases


# --- clips: decoding and levelling ------------------------------------------------------------------

class BadClip(ValueError):
    """An uploaded or dropped file is not a usable recording of one word."""

    def __init__(self, code: str, message_th: str, message_en: str, status: int = 422):
        super().__init__(message_en)
        self.code, self.message_th, self.message_en, self.status = code, message_th, message_en, status


def _decode(data: bytes) -> array.array:
    """Any WAV or MP3 -> mono 16-bit samples at RATE (miniaudio mixes down and resamples)."""
    import miniaudio

    if len(data) > MAX_CLIP_BYTES:
        raise BadClip("clip_too_big", f"ไฟล์เสียงใหญ่เกิน {MAX_CLIP_BYTES // (1024 * 1024)} MB",
                      f"The sound file is larger than {MAX_CLIP_BYTES // (1024 * 1024)} MB", 413)
    try:
        decoded = miniaudio.decode(data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1,
                                   sample_rate=RATE)
    except miniaudio.MiniaudioError:
        raise BadClip("not_audio", "ไฟล์นี้ไม่ใช่เสียง WAV หรือ MP3 ที่อ่านได้",
                      "This file is not a readable WAV or MP3 sound") from None
    samples = array.array("h", decoded.samples)
    if len(samples) > MAX_CLIP_SECONDS * RATE:
        raise BadClip("clip_too_long", f"เสียงยาวเกิน {MAX_CLIP_SECONDS:g} วินาที (หนึ่งคำต่อไฟล์)",
                      f"The sound is longer than {MAX_CLIP_SECONDS:g} seconds (one word per file)")
    return samples


def _trim(samples: array.array, threshold: int = 300, pad: int = RATE // 100) -> array.array:
    """Cut leading and trailing silence, keeping 10 ms either side."""
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return samples
    return samples[max(0, loud[0] - pad): min(len(samples), loud[-1] + pad)]


def voiced_rms(samples: array.array, frame: int = RATE // 50) -> float:
    """RMS of the 20 ms frames that carry sound (louder than 1/10 of the loudest): the word's loudness,
    not diluted by pauses inside it."""
    frames = [samples[i:i + frame] for i in range(0, len(samples) - frame + 1, frame)] or [samples]
    energies = [sum(s * s for s in f) / max(1, len(f)) for f in frames]
    top = max(energies, default=0.0)
    voiced = [e for e in energies if e >= top / 100]  # amplitude >= 1/10 of the loudest frame
    return math.sqrt(sum(voiced) / len(voiced)) if voiced and top > 0 else 0.0


def level(samples: array.array) -> array.array:
    """Bring a clip to TARGET_RMS (voiced part), never clipping: the peak stays under PEAK_LIMIT."""
    rms = voiced_rms(samples)
    peak = max((abs(s) for s in samples), default=0)
    if rms < 1 or peak == 0:
        raise BadClip("silent_clip", "ไฟล์เสียงเงียบ ไม่มีเสียงพูด", "The sound file is silent")
    gain = min(TARGET_RMS / rms, PEAK_LIMIT / peak)
    return array.array("h", (int(round(s * gain)) for s in samples))


def prepare_clip(data: bytes) -> array.array:
    """A recording as calls use it: decoded, trimmed, levelled. BadClip if it is not usable."""
    samples = _trim(_decode(data))
    if len(samples) < RATE // 20:
        raise BadClip("silent_clip", "ไฟล์เสียงเงียบหรือสั้นเกินไป", "The sound file is silent or too short")
    return level(samples)


def _silence(ms: int) -> array.array:
    return array.array("h", bytes(2 * (RATE * ms // 1000)))


def to_wav(samples: array.array) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return out.getvalue()


def read_wav(data: bytes) -> array.array:
    """A clip of ours (mono 16-bit RATE) as samples."""
    with wave.open(io.BytesIO(data), "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2 or wav.getframerate() != RATE:
            raise ValueError(f"clips must be mono 16-bit {RATE} Hz")
        samples = array.array("h")
        samples.frombytes(wav.readframes(wav.getnframes()))
    return samples


# --- the office's voice pack --------------------------------------------------------------------------

def pack_file(pack_dir: Path | None, name: str) -> Path | None:
    """The office's recording of a word (WAV, else MP3), if there is one."""
    if pack_dir is None:
        return None
    for ext in PACK_EXTENSIONS:
        path = pack_dir / f"{name}{ext}"
        if path.is_file():
            return path
    return None


def clip_source(name: str, pack_dir: Path | None) -> str:
    return "office" if pack_file(pack_dir, name) else "generated"


def clip_samples(name: str, pack_dir: Path | None = None, clips_dir: Path = CLIPS_DIR) -> array.array:
    """A word as it is spoken in calls: the office's recording if usable, else the generated clip."""
    if name not in WORDS:
        raise CannotSpeak(name)
    recorded = pack_file(pack_dir, name)
    if recorded is not None:
        try:
            return prepare_clip(recorded.read_bytes())
        except (BadClip, OSError):
            pass  # a broken file dropped into the folder: the generated word rather than silence
    path = clips_dir / f"{name}.wav"
    if not path.exists():
        raise CannotSpeak(name)
    return read_wav(path.read_bytes())


def save_recording(pack_dir: Path, name: str, data: bytes) -> Path:
    """Store an office's recording of one word, checked and levelled, as WAV (replacing any MP3)."""
    if name not in WORDS:
        raise BadClip("unknown_word", "ไม่มีคำนี้ในตารางคำประกาศ", "No such word in the announcement table", 404)
    samples = prepare_clip(data)
    pack_dir.mkdir(parents=True, exist_ok=True)
    path = pack_dir / f"{name}.wav"
    tmp = pack_dir / f".{name}.upload.tmp"
    tmp.write_bytes(to_wav(samples))
    tmp.replace(path)
    for ext in PACK_EXTENSIONS:
        if ext != ".wav":
            (pack_dir / f"{name}{ext}").unlink(missing_ok=True)
    return path


def remove_recording(pack_dir: Path, name: str) -> bool:
    """Back to the generated clip for this word. True if there was a recording."""
    found = False
    for ext in PACK_EXTENSIONS:
        path = pack_dir / f"{name}{ext}"
        if path.is_file():
            path.unlink()
            found = True
    return found


def pack_version(pack_dir: Path | None, clips_dir: Path = CLIPS_DIR) -> str:
    """Changes whenever a clip that calls use changes: part of the cache key and of the voice URL."""
    parts = []
    for folder in (clips_dir, pack_dir):
        if folder is not None and folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in PACK_EXTENSIONS:
                    stat = path.stat()
                    parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


# --- assembling calls ----------------------------------------------------------------------------------

def assemble(phrases: list[list[str]], pack_dir: Path | None = None, clips_dir: Path = CLIPS_DIR) -> bytes:
    samples = _silence(80)
    for i, phrase in enumerate(phrases):
        if i:
            samples.extend(_silence(PHRASE_GAP_MS))
        for j, name in enumerate(phrase):
            if j:
                samples.extend(_silence(GAP_MS))
            samples.extend(clip_samples(name, pack_dir, clips_dir))
    samples.extend(_silence(150))
    return to_wav(samples)


def call_wav(number: str, spoken_name: str, recall: bool, instance: Path, clips_dir: Path = CLIPS_DIR) -> Path:
    """The WAV of one call, assembled once and cached under the instance folder."""
    phrases = call_tokens(number, spoken_name, recall)
    pack_dir = instance / PACK_DIR_NAME
    key = hashlib.sha256(repr((phrases, pack_version(pack_dir, clips_dir))).encode()).hexdigest()[:24]
    cache_dir = instance / CACHE_DIR_NAME
    path = cache_dir / f"{key}.wav"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{id(phrases)}.tmp")
        tmp.write_bytes(assemble(phrases, pack_dir, clips_dir))
        tmp.replace(path)  # atomic: a concurrent reader never sees half a file
    return path


def call_url(number: str, spoken_name: str, recall: bool, instance: Path) -> str:
    """/display/voice/A007.wav?at=ช่อง+2&v=…: the call names what it says, and the voice pack's version,
    so a TV's cached copy is never the old voice or another counter."""
    query = urlencode({"at": spoken_name, "v": pack_version(instance / PACK_DIR_NAME)})
    return f"/display/voice/{number}{'-r' if recall else ''}.wav?{query}"


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
    return to_wav(samples)


def wav_duration(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


# --- generating the clips (developer command; needs espeak-ng) ----------------------------------------

ESPEAK_VOICE = "th"
ESPEAK_SPEED = 140
# espeak-ng's Thai tones lie within about 1.5 semitones of each other (สี่, low, and ซี, mid, sounded alike;
# ที่, falling, and ที, mid, too), so a one-syllable word gets its tone's shape back with sox after the
# consonant (TONE_ONSET s): low lowered, high raised (cents), falling and rising bent over the vowel.
TONE_ONSET = 0.08
TONE_EFFECTS = {"L": ("pitch", -250, 0), "H": ("pitch", 200, 0), "F": ("bend", 200, -550), "R": ("bend", -250, 550)}
TONE_EFFECTS_VERSION = 2


def tone_effect(word: Word) -> tuple[str, int, int] | None:
    syllables = word.phonemes.split()
    return TONE_EFFECTS.get(syllables[0][-1]) if len(syllables) == 1 else None


def _shape_tone(sox: str, samples: array.array, effect: tuple[str, int, int]) -> array.array:
    kind, shift, bend = effect
    args = ["gain", "-3", "pitch", str(shift)]
    if kind == "bend":
        length = len(samples) / RATE - TONE_ONSET - 0.03
        args += ["bend", f"{TONE_ONSET},{bend},{length:.3f}"]
    shaped = subprocess.run([sox, "-q", "-t", "wav", "-", "-t", "wav", "-", *args], input=to_wav(samples),
                            check=True, capture_output=True).stdout
    return _decode(shaped)


def manifest_entry(word: Word) -> dict:
    effect = tone_effect(word)
    return {"text": word.text, "phonemes": word.phonemes, "voice": ESPEAK_VOICE, "speed": ESPEAK_SPEED,
            "tone_effect": [*effect, TONE_EFFECTS_VERSION] if effect else None}


def read_manifest(clips_dir: Path = CLIPS_DIR) -> dict:
    path = clips_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def stale_clips(clips_dir: Path = CLIPS_DIR) -> list[str]:
    """Words whose bundled clip is missing or was made from other text/phonemes than the table says."""
    manifest = read_manifest(clips_dir)
    return [name for name, word in WORDS.items()
            if manifest.get(name) != manifest_entry(word) or not (clips_dir / f"{name}.wav").exists()]


def generate_clips(clips_dir: Path = CLIPS_DIR) -> list[str]:
    """Speak every word of the table with espeak-ng's Thai voice, trim and level it. Returns the names."""
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if espeak is None or sox is None:
        raise RuntimeError("espeak-ng and sox are needed (Debian: apt-get install espeak-ng sox)")
    clips_dir.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name, word in sorted(WORDS.items()):
        raw = subprocess.run([espeak, "-v", ESPEAK_VOICE, "-s", str(ESPEAK_SPEED), "--stdout", espeak_input(word)],
                             check=True, capture_output=True).stdout
        samples = _trim(_decode(raw))
        effect = tone_effect(word)
        if effect:
            samples = _trim(_shape_tone(sox, samples, effect))
        samples = level(samples)
        (clips_dir / f"{name}.wav").write_bytes(to_wav(samples))
        manifest[name] = manifest_entry(word)
    for old in clips_dir.glob("*.wav"):
        if old.stem not in WORDS:
            old.unlink()
    (clips_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
    return sorted(manifest)
