"""Where Thai text may break across lines: the one rule for tickets, posters, charts and DOCX.

Thai writes no spaces between words, so a line may only break where a word ends. The words come from
PyThaiNLP's dictionary segmenter ("newmm"); it keeps compounds such as ผู้สูงอายุ or เงินอุดหนุน together
(ICU's BreakIterator splits them into ผู้|สูง|อายุ). Both were measured on the office's service names
(BENCHMARKS.md, "Thai line breaking"); neither ever broke inside a word. A single word wider than the whole
line, the last resort, is split between Thai character clusters (never before a vowel or tone mark).

``wrap(text, width, measure)`` takes any measure: Pillow's ``textlength`` for rasters, ``len`` (the default)
for code that wraps by characters.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

ENGINE = "newmm"


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The text cut into words (spaces are words of their own); joined, they give the text back."""
    from pythainlp.tokenize import word_tokenize  # ~0.5 s to load its dictionary: only when text is wrapped

    return tuple(word_tokenize(text, engine=ENGINE, keep_whitespace=True))


def break_positions(text: str) -> tuple[int, ...]:
    """Offsets 0 < i < len(text) where a line may end (between two words)."""
    positions, at = [], 0
    for word in words(text)[:-1]:
        at += len(word)
        positions.append(at)
    return tuple(positions)


@lru_cache(maxsize=1024)
def _clusters(word: str) -> tuple[str, ...]:
    from pythainlp.tokenize import subword_tokenize

    return tuple(subword_tokenize(word, engine="tcc"))


def _split_word(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Last resort for one word wider than a line: break between character clusters."""
    parts, line = [], ""
    for cluster in _clusters(word):
        if line and measure(line + cluster) > width:
            parts.append(line)
            line = cluster
        else:
            line += cluster
    return [*parts, line] if line else parts


def wrap(text: str, width: float, measure: Callable[[str], float] = len) -> list[str]:
    """Greedy line breaking at word boundaries: as many words on each line as fit within `width`.
    Spaces at a break are dropped; every other character is kept, in order."""
    lines: list[str] = []
    line = ""
    for word in words(text):
        if word.isspace():
            line += word
            continue
        candidate = line + word
        if measure(candidate.strip()) <= width:
            line = candidate
            continue
        if line.strip():
            lines.append(line.strip())
        if measure(word) <= width:
            line = word
        else:
            *full, line = _split_word(word, width, measure)
            lines.extend(full)
    if line.strip():
        lines.append(line.strip())
    return lines
