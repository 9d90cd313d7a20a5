"""tambon.responses.OneWriteResponse: a whole small answer goes out in one send, byte for byte what gunicorn
would have sent in two; every other kind of answer goes gunicorn's own way."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.http import wsgi

from tambon.responses import OneWriteResponse


class RecordingSocket:
    def __init__(self) -> None:
        self.sends: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.sends.append(bytes(data))


def _answer(response_class, method: str, status: str, headers: list[tuple[str, str]], body: list[bytes]):
    sock = RecordingSocket()
    request = SimpleNamespace(version=(1, 1), method=method, should_close=lambda: False)
    response = response_class(request, sock, Config())
    response.start_response(status, headers)
    for part in body:
        response.write(part)
    response.close()
    return sock.sends


def _without_date(raw: bytes) -> bytes:
    return b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"Date: "))


def _both(method, status, headers, body):
    ours = _answer(OneWriteResponse, method, status, headers, body)
    stock = _answer(wsgi.Response, method, status, headers, body)
    assert _without_date(b"".join(ours)) == _without_date(b"".join(stock))
    return ours, stock


def test_a_json_answer_goes_out_in_one_send():
    body = b'{"ticket":{"number":"A001"}}'
    ours, stock = _both("POST", "200 OK", [("Content-Type", "application/json"),
                                           ("Content-Length", str(len(body)))], [body])
    assert len(stock) == 2  # gunicorn: the head, then the body
    assert len(ours) == 1
    assert ours[0].startswith(b"HTTP/1.1 200 OK\r\n") and ours[0].endswith(b"\r\n\r\n" + body)
    assert b"Connection: keep-alive\r\n" in ours[0] and b"Content-Length: 28\r\n" in ours[0]


@pytest.mark.parametrize(("method", "status", "headers", "body"), [
    # a body handed over in pieces: the head cannot know the rest, so gunicorn's way
    ("GET", "200 OK", [("Content-Length", "10")], [b"01234", b"56789"]),
    # no length: chunked
    ("GET", "200 OK", [("Content-Type", "text/plain")], [b"streamed"]),
    # no body allowed
    ("POST", "204 NO CONTENT", [], [b""]),
    ("HEAD", "200 OK", [("Content-Length", "4")], [b"body"]),
    # an empty body
    ("GET", "200 OK", [("Content-Length", "0")], [b""]),
], ids=["pieces", "chunked", "204", "head", "empty"])
def test_other_answers_go_gunicorns_way(method, status, headers, body):
    ours, stock = _both(method, status, headers, body)
    assert [_without_date(s) for s in ours] == [_without_date(s) for s in stock]
