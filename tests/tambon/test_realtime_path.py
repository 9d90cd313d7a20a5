"""tambon.realtime.SocketIOPathOnly: Socket.IO's middleware sees only its own path.

The requests carry ``gunicorn.socket`` as gunicorn's do: that key is what makes python-engineio's
middleware define a class per request and Flask-SocketIO's copy the environ."""

from __future__ import annotations

import io
import json
import socket

import pytest


def _environ(path: str, query: str = "", sock=None) -> dict:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "5000", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1:5000",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": io.StringIO(),
            "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
            "wsgi.version": (1, 0), "REMOTE_ADDR": "127.0.0.1", "gunicorn.socket": sock}


def _call(app, environ: dict) -> tuple[str, bytes]:
    status = []
    body = b"".join(app(environ, lambda s, headers, exc_info=None: status.append(s)))
    return status[0], body


@pytest.fixture
def gsock():
    with socket.socket() as sock:
        yield sock


def _flask_environs(app) -> list[dict]:
    """The environ of every request that reaches Flask (recorded by a before_request hook)."""
    seen: list[dict] = []
    from flask import request

    app.before_request_funcs.setdefault(None, []).insert(0, lambda: seen.append(request.environ) and None)
    return seen


def test_other_paths_skip_the_socketio_middleware(app, gsock):
    seen = _flask_environs(app)
    environ = _environ("/healthz", sock=gsock)
    status, body = _call(app, environ)
    assert status.startswith("200") and json.loads(body) == {"status": "ok"}
    # The request reached Flask as the server made it: not a copy, and nothing of the middleware's in it.
    assert seen == [environ] and seen[0] is environ
    assert "eventlet.input" not in environ and "flask.app" not in environ


def test_socketio_path_still_reaches_socketio(app, gsock):
    seen = _flask_environs(app)
    status, body = _call(app, _environ("/socket.io/", "EIO=4&transport=polling", sock=gsock))
    assert status.startswith("200"), body
    handshake = json.loads(body.decode()[1:])  # Engine.IO "open" packet: 0{"sid": ...}
    assert body.startswith(b"0") and handshake["sid"] and "websocket" in handshake["upgrades"]
    assert seen == []  # answered by Socket.IO, never by a Flask view


def test_a_path_that_only_starts_like_socketio_goes_to_flask(app, gsock):
    status, body = _call(app, _environ("/socket.iox", sock=gsock))
    assert status.startswith("404")
    assert b"Not Found" != body  # Flask's bilingual page, not engineio's bare "Not Found"

