"""PDF with WeasyPrint: the very HTML the dashboard's document preview shows, laid out by Pango (whose
libthai breaks Thai lines between words), with the bundled Sarabun font by @font-face."""

from __future__ import annotations

import base64
from pathlib import Path

from markupsafe import Markup, escape

from reports import docmodel
from tambon import fonts
from tambon.concurrency import cpu_bound

STATIC = Path(__file__).parent / "static"


def body(model: docmodel.Document) -> Markup:
    """The document's HTML body, drawn from the document model (the DOCX is drawn from the same model)."""
    out: list[str] = [f'<article class="doc doc-{escape(model.kind)}">']
    for block in model.blocks:
        if isinstance(block, docmodel.Heading):
            out.append(f'<h{block.level} class="align-{block.align}">{escape(block.text)}</h{block.level}>')
        elif isinstance(block, docmodel.Para):
            style = f' style="text-indent: {block.indent_cm}cm"' if block.indent_cm else ""
            space = f' style="margin-bottom: {block.space_after}pt"' if block.space_after and not style else ""
            runs = "".join(f"<b>{escape(t)}</b>" if bold else str(escape(t)) for t, bold in block.runs)
            out.append(f'<p class="align-{block.align} size-{block.size}"{style or space}>{runs}</p>')
        elif isinstance(block, docmodel.Table):
            total = sum(block.widths_cm) or 1
            cols = "".join(f'<col style="width: {w / total * 100:.1f}%">' for w in block.widths_cm)
            head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
            rows = []
            for n, row in enumerate(block.rows, start=1):
                cls = ' class="total"' if block.total_row and n == len(block.rows) else ""
                rows.append(f"<tr{cls}>" + "".join(_cell(c) for c in row) + "</tr>")
            small = " small" if block.small else ""
            out.append(f'<table class="grid{small}"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
                       f'<tbody>{"".join(rows)}</tbody></table>')
        elif isinstance(block, docmodel.Image):
            src = "data:image/png;base64," + base64.b64encode(block.png).decode()
            caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
            out.append(f'<figure><img style="width: {block.width_cm}cm" src="{src}" alt="{escape(block.alt)}">'
                       f"{caption}</figure>")
        elif isinstance(block, docmodel.PageBreak):
            out.append('<div class="page-break"></div>')
        elif isinstance(block, docmodel.Signature):
            out.append('<div class="sign">' + "".join(f"<p>{escape(line)}</p>" for line in block.lines) + "</div>")
    out.append("</article>")
    return Markup("".join(out))


def _cell(c: docmodel.Cell) -> str:
    classes = [name for name, on in (("num", c.num), ("pre", True), (c.mark or "", bool(c.mark))) if on]
    note = f'<span class="review-note">{escape(c.note)}</span>\n' if c.note else ""
    return f'<td class="{" ".join(classes)}">{note}{escape(c.text)}</td>'


def html(model: docmodel.Document) -> str:
    """The whole HTML page of a document (no request needed: the CLI renders it too)."""
    return (f'<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{escape(model.title)}</title>'
            f'</head><body class="print">{body(model)}</body></html>')


def pdf(model: docmodel.Document) -> bytes:
    # WeasyPrint's first import finds its C libraries by running ldconfig: a subprocess, which gevent can
    # start only from the request loop's thread, so it is imported here, not in the rendering thread.
    import weasyprint  # noqa: F401

    return _lay_out(html(model), landscape=model.landscape)


@cpu_bound  # seconds of WeasyPrint for a long report: off the server's request loop
def _lay_out(document: str, *, landscape: bool) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    orientation = "landscape" if landscape else "portrait"
    page = f"""
    @font-face {{ font-family: "Sarabun"; font-weight: normal; src: url("{fonts.REGULAR.as_uri()}"); }}
    @font-face {{ font-family: "Sarabun"; font-weight: bold; src: url("{fonts.BOLD.as_uri()}"); }}
    @page {{ size: A4 {orientation}; margin: 14mm 15mm 14mm 15mm;
             @bottom-center {{ content: counter(page) " / " counter(pages); font-family: "Sarabun"; font-size: 9pt; }} }}
    """
    stylesheets = [CSS(string=page, font_config=font_config),
                   CSS(filename=str(STATIC / "document.css"), font_config=font_config)]
    return HTML(string=document, base_url=str(STATIC)).write_pdf(stylesheets=stylesheets, font_config=font_config)
