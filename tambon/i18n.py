"""Thai first, English on request (?lang=en, remembered in a cookie).

Message ids in code and templates are English; the Thai catalogue translates them, and a test fails when
a string has no Thai translation. Each package keeps its own catalogue (PACKAGE/translations/th/...), so
packages change their words independently; Flask-Babel merges them.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_babel import get_locale

from tambon import thaidate
from tambon.extensions import babel

LANGUAGES = ("th", "en")
ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tambon", "kiosk", "display", "intake", "reports")


def translation_dirs() -> list[Path]:
    return [ROOT / pkg / "translations" for pkg in PACKAGES if (ROOT / pkg / "translations").is_dir()]


def select_locale() -> str:
    lang = request.args.get("lang") or request.cookies.get("lang")
    return lang if lang in LANGUAGES else "th"


def compile_catalogues() -> None:
    """Compile .po to .mo when the .po is newer (the .mo files are build output, not in git)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (p for d in translation_dirs() for p in d.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog)


def init_app(app: Flask) -> None:
    compile_catalogues()
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=";".join(str(d) for d in translation_dirs()))

    @app.after_request
    def _persist_language(response):
        # Parsing the query string is most of this hook's cost, and most requests have none.
        lang = request.args.get("lang") if request.query_string else None
        if lang in LANGUAGES:
            response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    tz = app.config["TAMBON_TIMEZONE"]

    @app.context_processor
    def _template_helpers():
        from flask_babel import gettext

        return {
            "home_links": [(endpoint, gettext(label)) for endpoint, label in app.extensions["tambon.home_links"]],
            "staff_nav": [(endpoint, gettext(label), roles) for endpoint, label, roles in app.extensions["tambon.staff_nav"]],
            "current_lang": str(get_locale() or "th"),
            "office_name": app.config["OFFICE_NAME"],
            "office_name_en": app.config["OFFICE_NAME_EN"],
            "thai_date": thaidate.format_date,
            "thai_datetime": lambda moment: thaidate.format_datetime(moment, tz),
        }

    @app.template_filter("localname")
    def _localname(obj):
        """name_th / name_en of a model, by the page's language."""
        if str(get_locale()) == "en" and getattr(obj, "name_en", None):
            return obj.name_en
        return obj.name_th


# --- developer tooling: `tambon i18n update` and the "every string is translated" test -------------

def extract_messages(package: str) -> set[str]:
    """Every gettext message id used in a package's Python files and templates."""
    from babel.messages.extract import extract_from_dir

    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT / package), method_map, options_map=options,
            keywords={"_": None, "gettext": None, "lazy_gettext": None}):
        if isinstance(message, str) and message:
            found.add(message)
    return found


def catalogue_path(package: str, locale: str = "th") -> Path:
    return ROOT / package / "translations" / locale / "LC_MESSAGES" / "messages.po"


def read_catalogue(package: str, locale: str = "th"):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = catalogue_path(package, locale)
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def untranslated(package: str, locale: str = "th") -> list[str]:
    catalogue = read_catalogue(package, locale)
    return sorted(m for m in extract_messages(package)
                  if catalogue.get(m) is None or not catalogue.get(m).string)


def update_catalogue(package: str, locale: str = "th") -> list[str]:
    """Add missing message ids (empty translations) to the package's catalogue; returns them."""
    from babel.messages.pofile import write_po

    catalogue = read_catalogue(package, locale)
    missing = sorted(m for m in extract_messages(package) if catalogue.get(m) is None)
    for message in missing:
        catalogue.add(message, "")
    path = catalogue_path(package, locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalogue, width=0, omit_header=False)
    return missing
