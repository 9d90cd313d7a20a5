"""The voice as it is heard: every word of the table distinct and equally loud, the office's own recordings,
and what a counter's spoken name makes the call say."""

from __future__ import annotations

import io
import itertools
import math
import shutil
import wave

import numpy as np
import pytest

from display import voice
from kiosk import setup
from tambon.errors import Invalid

# The bundled clips, compared as signals. Two measures of sameness, both normalised cross-correlation at the
# best lag (1.0 = the same sound, shifted): of the waveform itself, and of its first difference, which
# weighs each frequency by how far up it is, as the ear does between 1 and 4 kHz where consonants are
# told apart (the waveform's measure is dominated by the vowel, the loudest and longest part).
WAVEFORM_MAX = 0.999
HEARD_MAX = 0.985
# The words the old clips confused (issue 20): สี่ and ซี were byte-identical; ห้า, บี, ดี, อี, จี, พี, ที
# one and the same quiet sound. Apart from พี/ที (espeak-ng's aspirated stops differ only in a burst of a
# few milliseconds) they must now be far apart.
CONFUSED = ["digit_4", "letter_C", "digit_5", "letter_B", "letter_D", "letter_E", "letter_G", "letter_P", "letter_T"]
CONFUSED_MAX = 0.8


def _signal(name: str, pack_dir=None) -> np.ndarray:
    return np.asarray(voice.clip_samples(name, pack_dir), dtype=float)


def ncc(a: np.ndarray, b: np.ndarray) -> float:
    """max over lags of the cross-correlation of a and b, each normalised to unit energy."""
    a, b = a - a.mean(), b - b.mean()
    size = 1 << (len(a) + len(b)).bit_length()
    corr = np.fft.irfft(np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size)), size)
    return float(np.abs(corr).max() / (np.linalg.norm(a) * np.linalg.norm(b)))


def loudness_db(samples: np.ndarray) -> float:
    """dBFS of the frames (20 ms) that carry the word: within 20 dB of the loudest frame."""
    frame = voice.RATE // 50
    usable = len(samples) // frame * frame
    rms = np.sqrt((samples[:usable].reshape(-1, frame) ** 2).mean(axis=1))
    voiced = rms[rms >= rms.max() / 10]
    return 20 * math.log10(math.sqrt((voiced ** 2).mean()) / 32768)


@pytest.fixture(scope="module")
def clips() -> dict[str, np.ndarray]:
    return {name: _signal(name) for name in voice.WORDS}


def test_the_bundled_clips_are_the_table(clips):
    """Every word of the table has a clip made from its current text and phonemes (manifest.json)."""
    assert voice.stale_clips() == []
    assert sorted(p.stem for p in voice.CLIPS_DIR.glob("*.wav")) == sorted(voice.WORDS)
    for name in voice.WORDS:
        with wave.open(str(voice.CLIPS_DIR / f"{name}.wav")) as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, voice.RATE), name
        assert 0.2 < len(clips[name]) / voice.RATE < 2.5, name


class Spectra:
    """Each clip's spectrum computed once at one size, so comparing all ~1,100 pairs costs one inverse FFT
    each (the same normalised cross-correlation as ncc())."""

    def __init__(self, signals: dict[str, np.ndarray]):
        self.size = 1 << (2 * max(len(x) for x in signals.values())).bit_length()
        self.spectra, self.norms = {}, {}
        for name, x in signals.items():
            x = x - x.mean()
            self.spectra[name] = np.fft.rfft(x, self.size)
            self.norms[name] = np.linalg.norm(x)

    def ncc(self, a: str, b: str) -> float:
        corr = np.fft.irfft(self.spectra[a] * np.conj(self.spectra[b]), self.size)
        return float(np.abs(corr).max() / (self.norms[a] * self.norms[b]))


def test_every_two_words_sound_different(clips):
    raw = {name: (voice.CLIPS_DIR / f"{name}.wav").read_bytes() for name in voice.WORDS}
    waveforms = Spectra(clips)
    heard = Spectra({name: np.diff(signal) for name, signal in clips.items()})
    assert abs(heard.ncc("digit_4", "letter_C") - ncc(np.diff(clips["digit_4"]), np.diff(clips["letter_C"]))) < 1e-6
    for a, b in itertools.combinations(voice.WORDS, 2):
        assert raw[a] != raw[b], (a, b)
        assert raw[a][44:] != raw[b][44:], (a, b)
        waveform, as_heard = waveforms.ncc(a, b), heard.ncc(a, b)
        assert waveform < WAVEFORM_MAX, (a, b, waveform)
        assert as_heard < HEARD_MAX, (a, b, as_heard)
        if a in CONFUSED and b in CONFUSED and {a, b} != {"letter_P", "letter_T"}:
            assert as_heard < CONFUSED_MAX, (a, b, as_heard)
    assert heard.ncc("digit_4", "letter_C") < 0.5  # the pair that used to be one file


def test_the_measure_tells_one_word_from_itself():
    """The comparison above can fail: the same word shifted in time, or played louder, counts as the same."""
    a = _signal("digit_4")
    shifted = np.concatenate([np.zeros(1234), a * 0.5])
    assert ncc(a, shifted) > 0.999 and ncc(np.diff(a), np.diff(shifted)) > 0.999


def pitch_track(samples: np.ndarray) -> np.ndarray:
    """Fundamental frequency (Hz) of each voiced 46 ms frame, by autocorrelation (60–400 Hz)."""
    rate, size, hop = voice.RATE, 1024, 256
    loud = np.sqrt((samples ** 2).mean())
    track = []
    for start in range(0, len(samples) - size, hop):
        frame = samples[start:start + size] - samples[start:start + size].mean()
        if np.sqrt((frame ** 2).mean()) < loud * 0.5:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1:]
        low, high = rate // 400, rate // 60
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.5 * corr[0]:
            track.append(rate / lag)
    return np.asarray(track)


def test_words_that_differ_only_in_tone_carry_their_tones(clips):
    """สี่ (low) and ซี (mid), ที่ (falling) and ที (mid), สอง (rising): the contrast Thai listeners hear."""
    def thirds(name):
        track = pitch_track(clips[name])
        assert len(track) >= 6, name
        third = len(track) // 3
        return np.median(track[:third]), np.median(track), np.median(track[-third:])

    assert thirds("digit_4")[1] < 0.88 * thirds("letter_C")[1]          # low below mid
    start, _, end = thirds("at")
    assert end < 0.85 * start                                            # falling
    mid_start, _, mid_end = thirds("letter_T")
    assert 0.85 * mid_start < mid_end                                    # mid stays about level
    start, _, end = thirds("digit_2")
    assert end > 1.2 * start                                             # rising
    assert thirds("letter_B")[1] < 0.92 * thirds("letter_F")[1]          # high above mid


def test_every_word_is_equally_loud_and_never_clipped(clips):
    levels = {name: loudness_db(signal) for name, signal in clips.items()}
    assert max(levels.values()) - min(levels.values()) < 1.5, levels
    assert all(-24 < level < -16 for level in levels.values()), levels
    assert all(np.abs(signal).max() < 32000 for signal in clips.values())


@pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("sox")),
                    reason="espeak-ng and sox not installed (make browser-deps installs them)")
def test_the_clips_regenerate_from_the_table(tmp_path, clips):
    """`tambon display voice-clips` makes the same sounds again: the committed clips are the table's."""
    written = voice.generate_clips(tmp_path)
    assert sorted(written) == sorted(voice.WORDS)
    assert voice.stale_clips(tmp_path) == []
    for name in ("invite", "digit_4", "letter_C", "letter_B", "counter"):
        again = np.asarray(voice.read_wav((tmp_path / f"{name}.wav").read_bytes()), dtype=float)
        assert ncc(again, clips[name]) > 0.99, name


# --- spoken names -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("spoken", "tokens"), [
    ("ช่อง 2", ["counter", "digit_2"]),
    ("ช่อง12", ["counter", "ten", "digit_2"]),
    ("ช่องบริการ ๓", ["service_counter", "digit_3"]),
    ("โต๊ะ B", ["table", "letter_B"]),
    ("ห้อง 21", ["room", "twenty", "ten", "one_unit"]),
    ("จุด 1", ["point", "digit_1"]),
])
def test_spoken_names_are_read_from_the_table(spoken, tokens):
    assert voice.spoken_name_tokens(spoken) == tokens


@pytest.mark.parametrize("spoken", ["", "   ", "ช่องชำระเงิน", "ช่อง 1000", "ช่อง 0", "ช่อง-2", "x" * 101])
def test_a_spoken_name_the_voice_cannot_say_is_refused(spoken):
    with pytest.raises(voice.CannotSpeak):
        voice.spoken_name_tokens(spoken)


def test_a_counter_gets_a_spoken_name_and_calls_say_it(app, office):
    added = setup.upsert_counter(office, name="งานทะเบียน", service_codes=["TAX"])
    assert added.spoken_name == f"ช่อง {added.id}"  # no number in its name: its id
    assert setup.upsert_counter(office, name="ช่อง 12", service_codes=["TAX"]).spoken_name == "ช่อง 12"
    renamed = setup.upsert_counter(office, name="งานทะเบียน", service_codes=["TAX"], spoken_name="โต๊ะ  3")
    assert renamed.spoken_name == "โต๊ะ 3"
    # Saving again without one keeps it.
    assert setup.upsert_counter(office, name="งานทะเบียน", service_codes=["TAX"]).spoken_name == "โต๊ะ 3"
    with pytest.raises(Invalid) as refused:
        setup.upsert_counter(office, name="งานทะเบียน", service_codes=["TAX"], spoken_name="ช่องชำระเงิน")
    assert "ช่อง" in refused.value.message_th and "spoken name" in refused.value.message_en
    office.refresh(renamed)
    assert renamed.spoken_name == "โต๊ะ 3"  # the refused change was rolled back
    assert voice.call_tokens("A007", "โต๊ะ 3") == [["invite"], ["letter_A", "digit_0", "digit_0", "digit_7"],
                                                   ["at"], ["table", "digit_3"]]


def test_the_admin_counter_form_saves_a_spoken_name(app, demo):
    from tests.conftest import login

    client = app.test_client()
    login(client, "admin")
    counter_id = _counter_id(app, "ช่อง 2")
    token = _csrf(client, f"/admin/counters/{counter_id}/edit")
    answer = client.post(f"/admin/counters/{counter_id}/edit", data={"ctr-name": "ช่อง 2", "ctr-name_en": "Counter 2",
                                                  "ctr-spoken_name": "ช่องบริการ 2", "ctr-services": "WELFARE",
                                                  "ctr-active": "y", "ctr-csrf_token": token})
    assert answer.status_code == 302
    with app.app_context():
        from kiosk.models import Counter
        from tambon.db import get_session

        assert get_session().query(Counter).filter_by(name="ช่อง 2").one().spoken_name == "ช่องบริการ 2"


def _counter_id(app, name: str) -> int:
    with app.app_context():
        from kiosk.models import Counter
        from tambon.db import get_session

        return get_session().query(Counter).filter_by(name=name).one().id


def _csrf(client, page: str) -> str:
    import re

    html = client.get(page).get_data(as_text=True)
    return re.search(r'name="[^"]*csrf_token" type="hidden" value="([^"]+)"', html).group(1)


# --- the office's voice pack --------------------------------------------------------------------------

def _recording(seconds: float = 0.6, rate: int = 44100, channels: int = 2, volume: float = 0.05) -> bytes:
    """A stand-in for a recorded word: a vowel-like tone with harmonics and a glide, in CD format (the
    office's recorder), quiet on purpose: the pack levels it."""
    n = int(seconds * rate)
    t = np.arange(n) / rate
    pitch = 140 + 60 * t / seconds
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    wave_ = sum(np.sin(k * phase) / k for k in range(1, 8)) * np.sin(np.pi * t / seconds)
    pcm = (wave_ / np.abs(wave_).max() * volume * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.repeat(pcm, channels).tobytes())
    return out.getvalue()


def _find(needle: np.ndarray, haystack: np.ndarray) -> float:
    """How well needle appears somewhere inside haystack (1.0 = exactly, at some offset)."""
    size = 1 << (len(needle) + len(haystack)).bit_length()
    corr = np.fft.irfft(np.fft.rfft(haystack, size) * np.conj(np.fft.rfft(needle, size)), size)
    best = int(np.argmax(np.abs(corr)))
    window = haystack[best:best + len(needle)]
    return float(abs(corr[best]) / (np.linalg.norm(needle) * np.linalg.norm(window) + 1e-9))


def _call(client, url: str) -> np.ndarray:
    answer = client.get(url)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return np.asarray(voice.read_wav(answer.get_data()), dtype=float)


def test_an_uploaded_recording_replaces_one_word_in_the_calls(app, demo, tmp_path):
    from tests.conftest import login

    client = app.test_client()
    login(client, "admin")
    before = _call(client, "/display/voice/B004.wav?at=ช่อง 1")
    token = _csrf(client, "/display/voice-pack")
    answer = client.post("/display/voice-pack/letter_B", data={"csrf_token": token,
                                                              "clip": (io.BytesIO(_recording()), "b.wav")})
    assert answer.status_code == 302
    stored = tmp_path / "instance" / voice.PACK_DIR_NAME / "letter_B.wav"
    with wave.open(str(stored)) as wav:  # stored as calls use it: mono, the clips' rate
        assert (wav.getnchannels(), wav.getframerate()) == (1, voice.RATE)
    page = client.get("/display/voice-pack").get_data(as_text=True)
    assert 'data-word="letter_B"' in page and "เสียงที่สำนักงานบันทึก" in page
    preview = client.get("/display/voice-pack/letter_B.wav")
    assert preview.status_code == 200
    recorded = np.asarray(voice.read_wav(preview.get_data()), dtype=float)
    assert abs(loudness_db(recorded) - loudness_db(_signal("letter_C"))) < 1.5  # levelled like the rest

    after = _call(client, "/display/voice/B004.wav?at=ช่อง 1")
    assert _find(recorded, after) > 0.99            # the office's บี is in the call
    assert _find(_signal("letter_B"), after) < 0.9  # the generated one is not
    assert _find(_signal("digit_4"), after) > 0.99  # the other words are still the generated ones
    assert _find(_signal("letter_B"), before) > 0.99
    # Every call's URL names the pack's version, so a TV never plays an old voice from its cache.
    with app.app_context():
        assert voice.call_url("B004", "ช่อง 1", False, tmp_path / "instance") != "/display/voice/B004.wav?at="

    # Back to the generated word.
    token = _csrf(client, "/display/voice-pack")
    assert client.post("/display/voice-pack/letter_B/delete", data={"csrf_token": token}).status_code == 302
    assert not stored.exists()
    assert _find(_signal("letter_B"), _call(client, "/display/voice/B004.wav?at=ช่อง 1")) > 0.99


def test_a_file_dropped_into_the_folder_is_used_and_a_broken_one_is_not(app, demo, tmp_path):
    from tests.conftest import login

    client = app.test_client()
    login(client, "admin")
    pack = tmp_path / "instance" / voice.PACK_DIR_NAME
    pack.mkdir(parents=True)
    (pack / "digit_7.wav").write_bytes(_recording(rate=48000, channels=1))
    (pack / "digit_0.mp3").write_bytes(b"ID3 this is not really an mp3" * 10)
    call = _call(client, "/display/voice/A007.wav?at=ช่อง 2")
    assert _find(np.asarray(voice.prepare_clip(_recording(rate=48000, channels=1)), dtype=float), call) > 0.99
    assert _find(_signal("digit_7"), call) < 0.9
    assert _find(_signal("digit_0"), call) > 0.99  # the broken file: the generated word, not silence


@pytest.mark.parametrize(("data", "status", "code"), [
    (b"RIFF....WAVEfmt nothing here" * 20, 422, "not_audio"),
    (b"%PDF-1.7 a document, not a sound", 422, "not_audio"),
    (_recording(seconds=7.5, rate=8000, channels=1), 422, "clip_too_long"),
    (b"\0" * (voice.MAX_CLIP_BYTES + 10), 413, "clip_too_big"),
    (_recording(volume=0.0), 422, "silent_clip"),
    (b"", 422, "no_file"),
])
def test_a_bad_upload_gets_a_clear_thai_and_english_answer(app, demo, tmp_path, data, status, code):
    from tests.conftest import login

    client = app.test_client()
    login(client, "admin")
    token = _csrf(client, "/display/voice-pack")
    form = {"csrf_token": token, "clip": (io.BytesIO(data), "word.wav")}
    answer = client.post("/display/voice-pack/digit_4", data=form, headers={"Accept": "application/json"})
    assert answer.status_code == status
    error = answer.json["error"]
    assert error["code"] == code and error["message_th"] and error["message_en"]
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in error["message_th"])
    # On the page, the same message, with the same status.
    form = {"csrf_token": token, "clip": (io.BytesIO(data), "word.wav")}
    page = client.post("/display/voice-pack/digit_4", data=form)
    assert page.status_code == status and error["message_th"] in page.get_data(as_text=True)
    assert not (tmp_path / "instance" / voice.PACK_DIR_NAME / "digit_4.wav").exists()


def test_only_the_admin_may_change_the_voice(app, demo):
    from tests.conftest import login

    client = app.test_client()
    login(client, "counter1")
    assert client.get("/display/voice-pack").status_code == 403
    assert client.post("/display/voice-pack/digit_4", data={}).status_code in (400, 403)
    assert app.test_client().get("/display/voice-pack/digit_4.wav").status_code in (302, 401)


@pytest.mark.skipif(shutil.which("lame") is None, reason="lame not installed (make browser-deps installs it)")
def test_an_mp3_recording_is_decoded_and_used(app, demo, tmp_path):
    import subprocess

    from tests.conftest import login

    mp3 = subprocess.run(["lame", "--quiet", "-", "-"], input=_recording(), capture_output=True, check=True).stdout
    assert mp3[:3] == b"ID3" or mp3[0] == 0xFF
    client = app.test_client()
    login(client, "admin")
    token = _csrf(client, "/display/voice-pack")
    answer = client.post("/display/voice-pack/digit_4", data={"csrf_token": token,
                                                             "clip": (io.BytesIO(mp3), "si.mp3")})
    assert answer.status_code == 302
    recorded = np.asarray(voice.read_wav(client.get("/display/voice-pack/digit_4.wav").get_data()), dtype=float)
    assert 0.4 < len(recorded) / voice.RATE < 0.8
    # The decoded MP3 is the recording (MP3 keeps the waveform closely at this length and pitch).
    assert _find(np.asarray(voice.prepare_clip(_recording()), dtype=float), recorded) > 0.9
    assert _find(recorded, _call(client, "/display/voice/C004.wav?at=ช่อง 3")) > 0.99


def test_the_migration_names_existing_counters_as_calls_said_them(tmp_path):
    """kiosk_0004 gives every existing counter "ช่อง N": the number in its name, else its id."""
    from sqlalchemy import text

    from tambon import migrate
    from tambon.db import make_engine

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    migrate.upgrade(url, "kiosk@kiosk_0003")
    engine = make_engine(url)
    with engine.begin() as db:
        for counter_id, name in ((1, "ช่อง 7"), (2, "งานทะเบียน"), (3, "Counter 12")):
            db.execute(text("INSERT INTO counters (id, name, name_en, active, priority_streak) "
                            "VALUES (:id, :name, '', 1, 0)"), {"id": counter_id, "name": name})
    migrate.upgrade(url, "kiosk@kiosk_0004")
    with engine.connect() as db:
        spoken = dict(db.execute(text("SELECT name, spoken_name FROM counters")).all())
    engine.dispose()
    assert spoken == {"ช่อง 7": "ช่อง 7", "งานทะเบียน": "ช่อง 2", "Counter 12": "ช่อง 12"}


def test_regenerating_without_espeak_ng_says_what_to_install(tmp_path):
    """The service never needs espeak-ng; the developers' command says what is missing and changes nothing."""
    import subprocess
    import sys
    from pathlib import Path

    before = {p.name: p.stat().st_mtime_ns for p in voice.CLIPS_DIR.iterdir()}
    tambon = str(Path(sys.executable).with_name("tambon"))
    done = subprocess.run([tambon, "display", "voice-clips"], capture_output=True, text=True,
                          env={"PATH": str(tmp_path), "TAMBON_INSTANCE": str(tmp_path / "instance"),
                               "SECRET_KEY": "test"}, timeout=120)
    assert done.returncode != 0 and "apt-get install espeak-ng sox" in done.stderr
    assert {p.name: p.stat().st_mtime_ns for p in voice.CLIPS_DIR.iterdir()} == before
