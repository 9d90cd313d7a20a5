from datetime import date

from reports.metrics import queue_figures
from tambon.db import get_session


def test_print(history_app):
    import json
    with history_app.app_context():
        figs = queue_figures(get_session(), date(2026, 10, 1), date(2026, 12, 31))
        print(json.dumps(figs, ensure_ascii=False, indent=1, default=str))
    assert 0
