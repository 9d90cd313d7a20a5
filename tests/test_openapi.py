"""The OpenAPI document stays true: every /api/v1 route is described, nothing described is missing."""

import re


def flask_rules(app):
    rules = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1/openapi.json":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            rules.add((normalise(path), method.lower()))
    return rules


def normalise(path):
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_document_matches_url_map(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    described = {(normalise(p), m) for p, item in document["paths"].items() for m in item if m != "parameters"}
    assert flask_rules(app) == described


def test_every_operation_has_responses_and_path_parameters(client):
    document = client.get("/api/v1/openapi.json").json
    for path, item in document["paths"].items():
        names = set(re.findall(r"\{([^}]+)\}", path))
        for method, op in item.items():
            assert op.get("responses"), f"{method} {path} has no responses"
            declared = {p["name"] for p in op.get("parameters", []) + item.get("parameters", []) if p["in"] == "path"}
            assert names == declared, f"{method} {path}: path parameters {names} vs {declared}"
