"""Charts with matplotlib (≥ 3.11 shapes Thai through its text layout) and the bundled Sarabun font.

Rendered off-screen (Agg) to PNG bytes; pages and documents embed the same bytes."""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec

from tambon import fonts
from tambon.concurrency import cpu_bound

if TYPE_CHECKING:
    from matplotlib.figure import Figure

P = ParamSpec("P")
_lock = threading.Lock()
_ready = False
FAMILY = "Sarabun"
BAR = "#2f6f9f"
ACCENT = "#d9822b"


def _setup() -> None:
    # matplotlib is imported on first use: it costs ~0.8 s, which every `tambon` command would pay otherwise.
    global _ready
    with _lock:
        if not _ready:
            import matplotlib

            matplotlib.use("Agg")
            from matplotlib import font_manager

            for path in (fonts.REGULAR, fonts.BOLD):
                font_manager.fontManager.addfont(str(path))
            matplotlib.rcParams["font.family"] = FAMILY
            matplotlib.rcParams["axes.unicode_minus"] = False
            _ready = True


def _figure(width: float = 7.0, height: float = 2.8) -> Figure:
    _setup()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=150)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _legend_above(ax) -> None:
    """The two series' legend above the plot, on the right: never over a bar (the longest reach the edge)."""
    ax.legend(fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, borderaxespad=0.2)


def _off_the_loop(draw: Callable[P, bytes | None]) -> Callable[P, bytes | None]:
    """Draw on the server's rendering thread (tambon/concurrency.py). matplotlib is set up first, here on
    the request loop, so its import and font registration never run in that thread."""
    draw_off_loop = cpu_bound(draw)

    @functools.wraps(draw)
    def chart(*args: P.args, **kwargs: P.kwargs) -> bytes | None:
        _setup()
        return draw_off_loop(*args, **kwargs)

    return chart


@_off_the_loop
def bar_chart(labels: list[str], values: list[float], *, title: str, ylabel: str = "",
              second: list[float] | None = None, second_label: str = "", first_label: str = "",
              width: float = 7.0, height: float = 2.8) -> bytes | None:
    """A bar chart (two series side by side when ``second`` is given); None without data: an empty
    period gets the words "ยังไม่มีข้อมูล" from its page or document, not an axis from −0.04 to 0.04."""
    if not labels:
        return None
    fig = _figure(width, height)
    ax = fig.add_subplot()
    x = list(range(len(labels)))
    if second is None:
        ax.bar(x, values, color=BAR)
    else:
        ax.bar([i - 0.2 for i in x], values, width=0.4, color=BAR, label=first_label)
        ax.bar([i + 0.2 for i in x], second, width=0.4, color=ACCENT, label=second_label)
        _legend_above(ax)
    ax.set_xticks(x, labels, fontsize=8, rotation=0 if len(labels) <= 12 else 60)
    if all(float(v).is_integer() for v in [*values, *(second or [])]):
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no "0.25 tickets"
    ax.set_title(title, fontsize=11, fontweight="bold", loc="left")
    ax.set_ylabel(ylabel, fontsize=9)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


@_off_the_loop
def heatmap(row_labels: list[str], col_labels: list[str], matrix: list[list[int]], *, title: str,
            width: float = 7.0, height: float = 2.6) -> bytes | None:
    if not matrix or not col_labels:
        return None
    fig = _figure(width, height)
    ax = fig.add_subplot()
    image = ax.imshow(matrix, aspect="auto", cmap="Blues")
    from matplotlib.ticker import MaxNLocator

    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    peak = max(max(r) for r in matrix) or 1
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                        color="white" if value > peak * 0.6 else "black")
    ax.set_xticks(range(len(col_labels)), col_labels, fontsize=8)
    ax.set_yticks(range(len(row_labels)), row_labels, fontsize=8)
    ax.set_title(title, fontsize=11, fontweight="bold")
    return _png(fig)


@_off_the_loop
def hbar_chart(labels: list[str], values: list[float], *, title: str, second: list[float] | None = None,
               first_label: str = "", second_label: str = "", width: float = 7.0) -> bytes | None:
    """Horizontal bars: long Thai names (services) read whole on the left, never wrapped or overlapping."""
    if not labels:
        return None
    fig = _figure(width, 0.9 + 0.45 * len(labels))
    ax = fig.add_subplot()
    y = list(range(len(labels)))
    if second is None:
        ax.barh(y, values, color=BAR)
    else:
        ax.barh([i - 0.2 for i in y], values, height=0.4, color=BAR, label=first_label)
        ax.barh([i + 0.2 for i in y], second, height=0.4, color=ACCENT, label=second_label)
        _legend_above(ax)
    ax.set_yticks(y, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=11, fontweight="bold", loc="left")
    ax.tick_params(axis="x", labelsize=8)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
