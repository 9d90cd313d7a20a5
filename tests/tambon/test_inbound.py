"""tambon/inbound.py: how deep JSON nests, counted without parsing (brackets inside strings do not count)."""

import json

from tambon.inbound import MAX_JSON_DEPTH, json_depth, too_deep


def test_depth_counts_arrays_and_objects_but_not_brackets_in_strings():
    assert json_depth("1") == 0 and json_depth("{}") == 1 and json_depth("[[], {}]") == 2
    assert json_depth(json.dumps([[{"a": "[[[[{{{{"}]])) == 3
    assert json_depth(json.dumps(["quote \" then [[[", {"b": "back\\slash ]]] "}])) == 2
    assert json_depth("[]" * 1000) == 1


def test_too_deep_is_past_the_limit_only():
    nested = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert not too_deep(nested) and json.loads(nested)
    assert too_deep("[" + nested + "]") and too_deep("[" * 100_000)
    assert not too_deep(json.dumps({"details": "[" * 5000}))  # text a citizen may type
