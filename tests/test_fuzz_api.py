"""Fuzz the whole HTTP API from its own OpenAPI document (schemathesis strategies + hypothesis):
never a 500, and every answer is one the document declares, with a bilingual error body for 4xx.

Runs in-process against the WSGI app on a real migrated database, as an admin (who may call everything)."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core import NOT_SET

from tests.conftest import bearer


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in schema.get_all_operations())}


def test_every_operation_is_fuzzed(demo):
    # The list below is built from the document itself, so nothing new escapes the fuzzer.
    assert len(operations(demo)) >= 15


@pytest.fixture
def fuzz(demo):
    headers = bearer(demo, "admin")
    client = demo.test_client()
    for _ in range(3):  # something to find: waiting tickets
        client.post("/api/v1/tickets", json={"service": "TAX"})
    return demo, client, headers


def check(op, case, client, headers):
    method = case.method.upper()
    path = case.formatted_path
    body = case.body
    request_headers = {**(case.headers or {}), **headers}
    if case.media_type and body is not NOT_SET and body is not None:
        request_headers["Content-Type"] = case.media_type
        payload = {"data": json.dumps(body)} if "json" in case.media_type else {"data": body}
    else:
        payload = {}
    response = client.open(path, method=method, headers=request_headers, query_string=case.query or {}, **payload)
    assert response.status_code < 500, f"{method} {path} {body!r} → {response.status_code}"
    declared = set(op.definition.raw.get("responses", {}))
    assert str(response.status_code) in declared or response.status_code in (400, 405, 413, 415, 429), (
        f"{method} {path} answered {response.status_code}, not declared ({sorted(declared)})")
    if 400 <= response.status_code < 500 and response.mimetype == "application/json":
        error = response.get_json()["error"]
        assert error["message_th"] and error["message_en"]


def fuzz_operation(op, client, headers):
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=op.as_strategy())
    def run(case):
        check(op, case, client, headers)

    run()


def test_fuzz_all_operations(fuzz):
    app, client, headers = fuzz
    for label, op in operations(app).items():
        try:
            fuzz_operation(op, client, headers)
        except Exception as exc:
            raise AssertionError(f"{label}: {exc}") from exc
