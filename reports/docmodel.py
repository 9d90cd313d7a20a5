"""The one source of every report: a document as typed blocks of finished Thai text. The PDF (HTML laid out
by WeasyPrint), the page preview and the DOCX are drawn from the same blocks, so they cannot say different
things (tests compare their extracted text).

Every piece of text is a ``str`` made by the vocabulary (tambon.thaidate for dates and durations,
intake.labels for types, channels and statuses): a ``date``, ``datetime``, ``float`` or ``Enum`` handed to
a block is refused at once (:func:`words`), so a raw value cannot reach a page by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Literal

Align = Literal["left", "center", "right", "justify"]
# A cell carried over from an earlier year that the clerk has not yet confirmed for this one.
UNREVIEWED = "unreviewed"
FROM_DATA = "from_data"


def words(value: object) -> str:
    """The value if it is finished text; a TypeError for anything a person should not read raw."""
    if isinstance(value, str) and not isinstance(value, Enum):
        return value
    if isinstance(value, (date, datetime)):
        raise TypeError(f"a raw date reached a document: {value!r} (format it with tambon.thaidate)")
    if isinstance(value, Enum):
        raise TypeError(f"a raw code reached a document: {value!r} (name it with intake.labels)")
    raise TypeError(f"a raw {type(value).__name__} reached a document: {value!r} (format it first)")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2
    align: Align = "left"

    def __post_init__(self):
        words(self.text)


@dataclass(frozen=True)
class Para:
    """A paragraph: runs of (text, bold)."""

    runs: tuple[tuple[str, bool], ...]
    align: Align = "left"
    indent_cm: float = 0.0
    size: Literal["title", "body", "small"] = "body"
    space_after: float = 0.0

    def __post_init__(self):
        for text, _bold in self.runs:
            words(text)

    @property
    def text(self) -> str:
        return "".join(text for text, _bold in self.runs)


def para(text: str, *, bold: bool = False, **kwargs) -> Para:
    return Para(((words(text), bold),), **kwargs)


@dataclass(frozen=True)
class Cell:
    text: str
    mark: str | None = None  # UNREVIEWED, FROM_DATA
    note: str = ""           # shown above the text when the cell is marked (e.g. what to review)
    num: bool = False

    def __post_init__(self):
        words(self.text)
        words(self.note)


def cell(value: str | Cell) -> Cell:
    return value if isinstance(value, Cell) else Cell(words(value))


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths_cm: tuple[float, ...]
    total_row: bool = False  # the last row is the totals row (bold)
    small: bool = False

    def __post_init__(self):
        for header in self.headers:
            words(header)
        if len(self.widths_cm) != len(self.headers):
            raise ValueError("one width per column")
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError("one cell per column")


def table(headers: list[str], rows: Sequence[Sequence[str | Cell]], widths_cm: list[float], *, total_row: bool = False,
          numeric: tuple[int, ...] = (), small: bool = False) -> Table:
    def make(n: int, value: str | Cell) -> Cell:
        c = cell(value)
        return Cell(c.text, c.mark, c.note, num=True) if n in numeric and not c.num else c

    return Table(tuple(headers), tuple(tuple(make(n, v) for n, v in enumerate(row)) for row in rows),
                 tuple(widths_cm), total_row, small)


@dataclass(frozen=True)
class Image:
    png: bytes
    width_cm: float
    alt: str
    caption: str = ""

    def __post_init__(self):
        words(self.alt)
        words(self.caption)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Signature:
    """Signature lines, in the right half of the page."""

    lines: tuple[str, ...]

    def __post_init__(self):
        for line in self.lines:
            words(line)


Block = Heading | Para | Table | Image | PageBreak | Signature


@dataclass
class Document:
    kind: str
    title: str
    landscape: bool = False
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self

    def text(self) -> str:
        """The document's words in reading order (what PDF and DOCX text extraction should both give)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, (Heading, Para)):
                out.append(block.text)
            elif isinstance(block, Table):
                out.extend(block.headers)
                for row in block.rows:
                    for c in row:
                        out.extend(x for x in (c.note, c.text) if x)
            elif isinstance(block, Image) and block.caption:
                out.append(block.caption)
            elif isinstance(block, Signature):
                out.extend(block.lines)
        return "\n".join(out)


def refuse_raw(value: object) -> object:
    """Jinja ``finalize`` for report pages: a date, datetime, float or Enum printed as it is raises instead
    of reaching the page (format it with tambon.thaidate, name it with intake.labels, round it first)."""
    if isinstance(value, (date, datetime, float, Enum)) and not isinstance(value, (bool, int)):
        words(value)
    return value
