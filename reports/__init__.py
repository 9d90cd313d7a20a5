"""Reports: metrics as SQL over the event logs, the staff dashboard, the quarterly executive summary, the
measure report in the office's own format, the ITA complaint summaries; DOCX/PDF/CSV/XLSX."""

from flask import Flask


def init_app(app: Flask) -> None:
    from reports import views
    from reports.cli import report_group

    app.config.setdefault("REPORT_TARGET_WAIT_MINUTES", float(_env("REPORT_TARGET_WAIT_MINUTES", "15")))
    app.config.setdefault("REPORT_DOCX_FONT", _env("REPORT_DOCX_FONT", "TH Sarabun New"))
    app.register_blueprint(views.bp)
    app.cli.add_command(report_group)
    app.extensions["tambon.staff_nav"].append(("reports.dashboard", "Reports", ("executive",)))


def _env(name: str, default: str) -> str:
    import os

    return os.environ.get(name, default)
