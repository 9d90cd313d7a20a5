"""The `tambon` command (console entry point). Flask's CLI with our commands; bad arguments exit 2."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import warnings
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from tambon.config import read_setting
from tambon.errors import DomainError


class CliError(click.ClickException):
    """A clear message and exit code 2, as for bad arguments."""

    exit_code = 2


def _domain(err: DomainError) -> CliError:
    return CliError(f"{err.message_th} / {err.message_en}")


def _create_app(*_args, **_kwargs):
    from tambon import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """Tambon Service Desk — queue tickets and complaints for an อบต. front office."""
    from tambon.files import use_private_umask

    use_private_umask()  # every file a command or its server workers create: 0600, directories 0700


# --- database -------------------------------------------------------------------------------------

@main.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.option("--to", "target", default="heads", show_default=True, help="Revision to upgrade to.")
@with_appcontext
def db_upgrade(target: str) -> None:
    """Bring the schema up to date."""
    from tambon import migrate

    migrate.upgrade(current_app.config["DATABASE_URL"], target)
    click.echo("ฐานข้อมูลเป็นปัจจุบันแล้ว / Database is up to date")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--branch", required=True, help="Package that owns the change: tambon, kiosk, display, intake, reports")
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def db_revision(message: str, branch: str, autogenerate: bool) -> None:
    """(developers) Write a new migration on a package's branch."""
    from alembic import command

    from tambon import migrate

    command.revision(migrate.alembic_config(current_app.config["DATABASE_URL"]), message=message,
                     autogenerate=autogenerate, head=f"{branch}@head")


# --- set-up ---------------------------------------------------------------------------------------

@main.command("demo")
@with_appcontext
def demo() -> None:
    """Add demo data (idempotent): each package's demo step (``tambon.demo_hooks``), kiosk's first."""
    from tambon.db import get_session

    notes = [note for hook in current_app.extensions.get("tambon.demo_hooks", []) if (note := hook(get_session()))]
    click.echo(" ".join(["ข้อมูลตัวอย่างพร้อมแล้ว / Demo data ready.", *notes]))


@main.group("user")
def user_group() -> None:
    """Staff accounts."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


ROLES = ["counter", "admin", "officer", "executive", "oversight"]


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--display-name", default=None)
@click.option("--division", default=None)
@with_appcontext
def user_add(name: str, role: str, password_stdin: bool, display_name: str | None, division: str | None) -> None:
    """Add a staff member (the command line may grant every role; the page follows the grant rule)."""
    from tambon.auth import service
    from tambon.auth.policy import CLI
    from tambon.db import get_session

    try:
        service.add_user(get_session(), name, _read_password(password_stdin), role, display_name, division,
                         actor=CLI)
    except DomainError as err:
        raise _domain(err) from err
    click.echo(f"เพิ่มผู้ใช้ {name} ({role}) แล้ว / Added user {name} ({role})")


@user_group.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True)
@with_appcontext
def user_passwd(name: str, password_stdin: bool) -> None:
    """Change a staff member's password: every session and API token of theirs ends."""
    from tambon.auth import service
    from tambon.auth.policy import CLI
    from tambon.db import get_session

    try:
        service.set_password(get_session(), name, _read_password(password_stdin), actor=CLI)
    except DomainError as err:
        raise _domain(err) from err
    click.echo(f"เปลี่ยนรหัสผ่านของ {name} แล้ว (ทุกการเข้าระบบและโทเคนเดิมสิ้นสุด) / Password changed; "
               f"every session and token ended")


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def user_role(name: str, role: str) -> None:
    """Give a staff member another role: every session and API token of theirs ends."""
    from tambon.auth import service
    from tambon.auth.policy import CLI
    from tambon.db import get_session

    try:
        service.set_role(get_session(), name, role, actor=CLI)
    except DomainError as err:
        raise _domain(err) from err
    click.echo(f"เปลี่ยนบทบาทของ {name} เป็น {role} แล้ว / {name} is now {role}")


def _set_active(name: str, active: bool) -> None:
    from tambon.auth import service
    from tambon.auth.policy import CLI
    from tambon.db import get_session

    try:
        service.set_active(get_session(), name, active, actor=CLI)
    except DomainError as err:
        raise _domain(err) from err


@user_group.command("deactivate")
@click.argument("name")
@with_appcontext
def user_deactivate(name: str) -> None:
    """Deactivate an account: it cannot log in, and every session and API token of it ends at once."""
    _set_active(name, False)
    click.echo(f"ระงับบัญชี {name} แล้ว ทุกการเข้าระบบและโทเคนสิ้นสุดทันที / Deactivated {name}; "
               f"every session and token ended")


@user_group.command("activate")
@click.argument("name")
@with_appcontext
def user_activate(name: str) -> None:
    """Reactivate an account (its old sessions and tokens stay ended: log in again, issue a new token)."""
    _set_active(name, True)
    click.echo(f"เปิดใช้บัญชี {name} แล้ว / Activated {name}")


@main.group("token")
def token_group() -> None:
    """API bearer tokens."""


@token_group.command("create")
@click.argument("name")
@click.option("--label", default="api")
@with_appcontext
def token_create(name: str, label: str) -> None:
    """Print a new bearer token acting as staff member NAME (shown once)."""
    from tambon.auth import service
    from tambon.auth.policy import CLI
    from tambon.db import get_session

    try:
        click.echo(service.create_token(get_session(), name, label, actor=CLI))
    except DomainError as err:
        raise _domain(err) from err


@token_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include revoked tokens.")
@with_appcontext
def token_list(show_all: bool) -> None:
    """List API tokens: id, user, role, label, created (never the token itself)."""
    from tambon.auth import service
    from tambon.db import get_session
    from tambon.thaidate import to_local

    tz = current_app.config["TAMBON_TIMEZONE"]
    rows = service.list_tokens(get_session(), include_revoked=show_all)
    click.echo("ID\tUSER\tROLE\tLABEL\tCREATED\tSTATUS")
    for t in rows:
        created = to_local(t.created_at, tz).strftime("%Y-%m-%d %H:%M") if t.created_at else "-"
        click.echo(f"{t.id}\t{t.username}\t{t.role}\t{t.label}\t{created}\t{'revoked' if t.revoked else 'valid'}")


@token_group.command("revoke")
@click.argument("token_id", metavar="ID", type=click.IntRange(min=1))
@with_appcontext
def token_revoke(token_id: int) -> None:
    """Revoke API token ID (see `tambon token list`): refused from the next request on."""
    from tambon.auth import service
    from tambon.auth.policy import CLI
    from tambon.db import get_session

    try:
        service.revoke_token(get_session(), token_id, actor=CLI)
    except DomainError as err:
        raise _domain(err) from err
    click.echo(f"ยกเลิกโทเคน {token_id} แล้ว / Token {token_id} revoked")


@main.group("i18n")
def i18n_group() -> None:
    """(developers) Thai/English message catalogues."""


@i18n_group.command("update")
@click.argument("package", type=click.Choice(["tambon", "kiosk", "display", "intake", "reports"]))
def i18n_update(package: str) -> None:
    """Add new message ids of PACKAGE to its Thai catalogue, to be translated."""
    from tambon import i18n

    for message in i18n.update_catalogue(package):
        click.echo(f"+ {message}")


# --- serving --------------------------------------------------------------------------------------

WORKER_READY = "Worker ready to serve (pid %s)"


def _worker_ready(worker) -> None:
    """gunicorn hook: the app is loaded and the worker is about to accept connections. Logged so that
    whoever starts the server (an installer's script, the benchmark) can wait for every worker: clients
    that connect while only the first one is up all stay on it for as long as they keep their connection."""
    worker.log.info(WORKER_READY, worker.pid)


def _refuse_a_port_in_use(host: str, port: int) -> None:
    """The workers listen with SO_REUSEPORT (see serve), which would let a second server started on the same
    port share it silently, each answering some of the requests. So look first, as a plain bind would:
    a port that something listens on is refused with a message (one left in TIME_WAIT by a server just
    stopped is not: SO_REUSEADDR, as gunicorn binds)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                                 flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise CliError(f"เปิดพอร์ต {host}:{port} ไม่ได้ (อาจมีโปรแกรมอื่นใช้อยู่) / cannot listen on {host}:{port} "
                       f"(already in use?): {exc.strerror or exc}") from exc


# The access log: no query string (a PIN or a token put there by a client), no Referer (it carries other
# pages' query strings), no user agent; the path, status, size and time only.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

PUBLIC_BASE_URL_WARNING = (
    "คำเตือน: ยังไม่ได้ตั้ง PUBLIC_BASE_URL คิวอาร์โค้ดบนบัตรคิวและโปสเตอร์และลิงก์จะใช้ที่อยู่ที่เบราว์เซอร์ใช้เปิด "
    "(ตู้คีออสก์ที่เปิดบนเครื่องนี้จะใส่ 127.0.0.1 ซึ่งโทรศัพท์เปิดไม่ได้) ตั้งเช่น PUBLIC_BASE_URL=http://192.168.1.10:5000\n"
    "WARNING: PUBLIC_BASE_URL is not set: QR codes on tickets and posters, and links, use whatever address the "
    "browser used (a kiosk browser on this machine puts 127.0.0.1 into every QR code, which no phone can open). "
    "Set PUBLIC_BASE_URL to the address phones use, e.g. PUBLIC_BASE_URL=http://192.168.1.10:5000")


# No app in this process: gunicorn's master only forks. An app made here would import psycopg before the
# worker patches for gevent, and psycopg then keeps its blocking wait: one query waiting on a row lock
# would stop every request of the worker.
@main.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=int(read_setting("TAMBON_WORKERS", 1)), show_default=True,
              type=click.IntRange(1, 64), help="Server processes; more than one needs SOCKETIO_MESSAGE_QUEUE.")
@click.option("--worker-class", "worker_class", default=read_setting("TAMBON_WORKER_CLASS", "gevent"),
              show_default=True, type=click.Choice(["gevent", "gthread"]),
              help="gevent: one thread per process switching at I/O (tambon/concurrency.py); gthread: a thread "
                   "per request, the fallback.")
@click.option("--connections", default=int(read_setting("TAMBON_CONNECTIONS", 1000)), show_default=True,
              type=click.IntRange(1, 100000), help="gevent: open connections (displays, phones) per process.")
@click.option("--threads", default=int(read_setting("TAMBON_THREADS", 64)), show_default=True,
              type=click.IntRange(1, 1000), help="gthread: threads per process.")
def serve(host: str, port: int, workers: int, worker_class: str, connections: int, threads: int) -> None:
    """Serve with gunicorn. Each worker process patches itself for gevent before it loads the app (no
    preloading), so every lock and socket the app creates is a cooperative one."""
    from gunicorn.app.base import BaseApplication

    if workers > 1 and not read_setting("SOCKETIO_MESSAGE_QUEUE"):
        raise CliError("หลายโปรเซสต้องตั้ง SOCKETIO_MESSAGE_QUEUE (เช่น redis://127.0.0.1:6379/0) ให้จอแสดงคิวได้รับทุกการเรียก"
                       " / --workers > 1 needs SOCKETIO_MESSAGE_QUEUE (e.g. redis://127.0.0.1:6379/0) so every"
                       " display hears every call")
    from tambon.config import kiosk_rate_limit_warning

    kiosk_warning = kiosk_rate_limit_warning(host, {
        name: value for name in ("KIOSK_ADDRESSES", "TICKET_RATE_LIMIT")
        if (value := read_setting(name, keep_empty=True)) is not None})  # set but empty: no kiosk addresses
    if kiosk_warning:
        click.echo(kiosk_warning, err=True)
    if not read_setting("PUBLIC_BASE_URL"):
        click.echo(PUBLIC_BASE_URL_WARNING, err=True)
    _refuse_a_port_in_use(host, port)
    os.environ["TAMBON_WORKERS"] = str(workers)  # read by each worker's create_app (pages pick transports)
    # gunicorn's gevent worker patches the standard library after this command has imported ssl (Flask
    # does). Nothing in the server speaks TLS itself, so the warning would only alarm whoever reads the log.
    warnings.filterwarnings("ignore", message="Monkey-patching ssl after ssl has already been imported")

    # The print worker runs as a process of its own beside the server processes (kiosk/printing/process.py),
    # unless PRINT_WORKER=thread asks for a thread in each server process.
    print_worker = os.environ["PRINT_WORKER"] = read_setting("PRINT_WORKER", "process")  # the workers read it too
    supervisor: dict[str, subprocess.Popen] = {}

    printing = (read_setting("PRINTER_URL", "").strip() != "none"
                or read_setting("KIOSK_PRINTERS", "").strip())

    def start_print_worker(_arbiter) -> None:  # tambon/supervisor.py keeps it running
        if print_worker == "process" and printing:
            supervisor["proc"] = subprocess.Popen([sys.executable, "-m", "tambon.supervisor", "printer", "run",
                                                   "--exit-with-parent"])

    def stop_print_worker(_arbiter) -> None:
        for proc in supervisor.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()

    # Report work too (reports/worker.py), unless REPORTS_WORKER=inline keeps it in the server processes.
    os.environ.setdefault("REPORTS_WORKER", "process")

    def start_companions(arbiter) -> None:
        start_print_worker(arbiter)
        if os.environ["REPORTS_WORKER"] == "process":
            supervisor["reports"] = subprocess.Popen([sys.executable, "-m", "tambon.supervisor", "report", "worker",
                                                      "--exit-with-parent"])

    class _Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", worker_class)
            self.cfg.set("worker_connections", connections)
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 120)
            self.cfg.set("keepalive", 30)
            self.cfg.set("accesslog", read_setting("TAMBON_ACCESS_LOG"))
            self.cfg.set("access_log_format", ACCESS_LOG_FORMAT)
            self.cfg.set("post_worker_init", _worker_ready)
            self.cfg.set("when_ready", start_companions)
            self.cfg.set("on_exit", stop_print_worker)
            # Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
            # connections over them. On one shared socket, whichever worker was idle took every connection
            # that arrived while the other was busy: counters' browsers keep theirs open, and in the
            # benchmark all 16 sometimes sat on one worker while the other stood idle (half the throughput).
            self.cfg.set("reuse_port", True)

        def load(self):
            from tambon import create_app, prepare_to_serve

            app = create_app()
            prepare_to_serve(app)  # before this worker takes a connection (templates compiled, …)
            # Start-up leaves ~130,000 objects (Flask, SQLAlchemy, Babel, fonts …) that live as long as the
            # process. Left to the cyclic garbage collector, every full collection walks them all: a pause
            # of 70–90 ms measured here, which every request in flight waits out (it was the office load's
            # p99). Frozen, they are never walked again; garbage made by requests is collected as before.
            gc.collect()
            gc.freeze()
            return app

    click.echo(f"Serving on http://{host}:{port} with {workers} {worker_class} process(es)  (Ctrl+C to stop)")
    _Server().run()


# --- data safety ----------------------------------------------------------------------------------

@main.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(out: str) -> None:
    """Consistent online backup: SQLite's backup API, or pg_dump for PostgreSQL."""
    from tambon import backup as backups

    try:
        backups.backup(current_app.config["DATABASE_URL"], Path(out))
    except DomainError as err:
        raise _domain(err) from err
    click.echo(f"สำรองข้อมูลไว้ที่ {out} แล้ว / Backup written to {out}")


@main.command("restore")
@click.option("--from", "source", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
@with_appcontext
def restore(source: str, yes: bool) -> None:
    """Replace the database with a backup made by `tambon backup` (SQLite file or pg_dump archive)."""
    from tambon import backup as backups

    if not yes and not click.confirm("แทนที่ฐานข้อมูลปัจจุบันด้วยข้อมูลสำรอง? / Replace the current database?"):
        raise CliError("ยกเลิก / Cancelled")
    current_app.extensions["tambon.engine"].dispose()
    try:
        backups.restore(current_app.config["DATABASE_URL"], Path(source))
    except DomainError as err:
        raise _domain(err) from err
    click.echo("กู้คืนข้อมูลเรียบร้อย / Restore complete")


if __name__ == "__main__":
    main()
