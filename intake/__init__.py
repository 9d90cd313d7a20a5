"""Measures 9 and 10 — complaints and feedback: the public form and QR posters, tracking codes with a PIN,
the office's inbox and workflow, working-day deadlines, confidentiality, Open311, public statistics."""

from __future__ import annotations

from flask import Flask, current_app, has_app_context


def _(message: str) -> str:
    """Marks a message id for extraction; the pages translate it (tambon.i18n)."""
    return message


TOPICS = ("complaint.acknowledged", "complaint.assigned", "complaint.progress", "complaint.answered",
          "complaint.closed", "complaint.rejected", "complaint.forwarded", "complaint.reopened")


def _on_complaint_event(topic: str, payload: dict) -> None:
    """After commit: optional notice to the citizen (e-mail where configured)."""
    if not has_app_context() or "intake.settings" not in current_app.extensions:
        return
    if current_app.extensions.get("tambon.citizen_notices") == "outbox":
        return  # another package sends citizens' notices through its durable outbox (notify/)
    from intake.notify import citizen_notice

    citizen_notice(current_app.extensions["intake.settings"], current_app.extensions["intake.notifiers"],
                   current_app.extensions["tambon.sessionmaker"], topic, payload)


def init_app(app: Flask) -> None:
    from intake import api, cli, demo, office, open311, views
    from intake.notify import default_notifiers
    from intake.settings import IntakeSettings
    from tambon import events
    from tambon.extensions import csrf

    settings = IntakeSettings.from_config(app.config)
    app.extensions["intake.settings"] = settings
    app.extensions["intake.notifiers"] = default_notifiers(settings)
    app.register_blueprint(views.bp)
    app.register_blueprint(office.bp)
    csrf.exempt(api.bp)  # public JSON; staff writes check the token themselves
    app.register_blueprint(api.bp)
    csrf.exempt(open311.bp)  # Open311 clients authenticate with api_key
    app.register_blueprint(open311.bp)
    app.cli.add_command(cli.complaints_group)
    app.extensions["tambon.home_links"].extend([
        ("intake.new_complaint", _("Complaints, questions, praise and suggestions")),
        ("intake.track", _("Follow up on a complaint")),
        ("intake.stats", _("Complaint statistics")),
    ])
    app.extensions["tambon.staff_nav"].extend([
        ("intake_office.inbox", _("Complaints"), ("officer", "executive", "oversight")),
        ("intake_office.new", _("Record a complaint"), ("counter",)),
    ])
    app.extensions["tambon.demo_hooks"].append(demo.load_demo)
    for topic in TOPICS:
        events.subscribe(topic, _on_complaint_event)
    # Invariant 1 on account changes too: a role change or deactivation that would strand a case is refused.
    from intake import access
    from tambon.auth.service import ACCOUNT_CHANGED

    events.on_write(ACCOUNT_CHANGED, access.on_account_changed)

    @app.template_filter("fromiso")
    def _fromiso(text):
        from datetime import datetime

        return datetime.fromisoformat(text) if isinstance(text, str) else text

    @app.context_processor
    def _intake_helpers():
        from intake import labels
        from tambon.i18n import select_locale

        def clabel(kind: str, value: str | None) -> str:
            try:
                lang = select_locale()
            except RuntimeError:
                lang = "th"
            return labels.label(kind, value, lang)

        def thai_local_date(moment):
            from tambon.thaidate import business_date, format_date

            if moment is None:
                return ""
            if isinstance(moment, str):
                from datetime import datetime

                moment = datetime.fromisoformat(moment)
            return format_date(business_date(moment, app.config["TAMBON_TIMEZONE"]))

        return {"clabel": clabel, "thai_local_date": thai_local_date}
