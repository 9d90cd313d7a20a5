"""PDF with WeasyPrint: the very HTML the dashboard's document preview shows, laid out by Pango (whose
libthai breaks Thai lines between words), with the bundled Sarabun font by @font-face."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from tambon import fonts
from tambon.concurrency import cpu_bound

STATIC = Path(__file__).parent / "static"
BODIES = {"quarterly": "reports/_quarterly_body.html", "measures": "reports/_measures_body.html",
          "ita": "reports/_ita_body.html"}
LANDSCAPE = {"measures"}


def html(ctx: dict) -> str:
    """The document HTML alone (no request needed: the CLI renders it too)."""
    template = current_app.jinja_env.get_template("reports/print.html")
    return template.render(doc=ctx, body=BODIES[ctx["kind"]], title=ctx["kind"])


def pdf(ctx: dict) -> bytes:
    # WeasyPrint's first import finds its C libraries by running ldconfig: a subprocess, which gevent can
    # start only from the request loop's thread, so it is imported here, not in the rendering thread.
    import weasyprint  # noqa: F401

    return _lay_out(html(ctx), landscape=ctx["kind"] in LANDSCAPE)


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
