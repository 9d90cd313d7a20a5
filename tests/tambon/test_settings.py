"""One way to read configuration: tambon.config.read_setting, used by every package's settings object."""

from __future__ import annotations

from intake.settings import IntakeSettings
from kiosk.printing.settings import setting as printer_setting
from notify.settings import NotifySettings
from reports.settings import ReportSettings
from tambon.config import load_config, read_setting


def test_config_key_then_environment_then_default(monkeypatch):
    monkeypatch.setenv("TAMBON_X", "from env")
    assert read_setting("TAMBON_X", "dflt", {"TAMBON_X": "from config"}) == "from config"
    assert read_setting("TAMBON_X", "dflt", {}) == "from env"
    assert read_setting("TAMBON_X", "dflt", {"TAMBON_X": None}) == "from env"
    monkeypatch.setenv("TAMBON_X", "")
    assert read_setting("TAMBON_X", "dflt") == "dflt"  # empty is unset ...
    assert read_setting("TAMBON_X", "dflt", keep_empty=True) == ""  # ... unless it means something
    monkeypatch.delenv("TAMBON_X")
    assert read_setting("TAMBON_X", "dflt") == "dflt"


def test_every_package_reads_its_variables_through_it(monkeypatch, tmp_path):
    monkeypatch.setenv("NOTIFY_QUEUE_NEAR", "5")
    monkeypatch.setenv("COMPLAINT_MAX_FILES", "4")
    monkeypatch.setenv("REPORT_DOCX_FONT", "Sarabun")
    monkeypatch.setenv("PRINTER_PAPER", "58")
    monkeypatch.setenv("TICKET_RATE_LIMIT", "7 per minute")
    monkeypatch.setenv("KIOSK_ADDRESSES", "")  # set empty: no address is a kiosk
    assert NotifySettings.from_config({}).queue_near_threshold == 5
    assert NotifySettings.from_config({"NOTIFY_QUEUE_NEAR": 2}).queue_near_threshold == 2
    assert IntakeSettings.from_config({}).max_files == 4
    assert ReportSettings.from_config({}) == ReportSettings(target_wait_minutes=15.0, docx_font="Sarabun")
    assert printer_setting({}, "PRINTER_PAPER") == "58"
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["TICKET_RATE_LIMIT"] == "7 per minute" and config["KIOSK_ADDRESSES"] == []


def test_defaults_are_the_contracts(monkeypatch, tmp_path):
    for name in ("TICKET_RATE_LIMIT", "KIOSK_ADDRESSES", "PRINTER_URL", "TAMBON_TIMEZONE", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["TICKET_RATE_LIMIT"] == "20 per minute"
    assert config["KIOSK_ADDRESSES"] == ["127.0.0.1", "::1"]
    assert config["PRINTER_URL"] == f"file://{tmp_path / 'spool'}"
    assert config["TAMBON_TIMEZONE"] == "Asia/Bangkok"
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'tambon.sqlite3'}"
