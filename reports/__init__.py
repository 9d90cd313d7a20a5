"""Reports: metrics as SQL over the event logs, the staff dashboard, the quarterly executive summary, the
measure report in the office's own format, the ITA complaint summaries; DOCX/PDF/CSV/XLSX."""

from flask import Flask

from reports.settings import EXTENSION, ReportSettings


def init_app(app: Flask) -> None:
    from reports import views
    from reports.cli import report_group

    app.extensions[EXTENSION] = ReportSettings.from_config(app.config)
    app.register_blueprint(views.bp)
    app.cli.add_command(report_group)
    app.extensions["tambon.staff_nav"].append(("reports.dashboard", "Reports", ("executive",)))
    app.extensions["tambon.before_serving"].append(views.compile_guarded_templates)
