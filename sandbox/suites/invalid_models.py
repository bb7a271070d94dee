"""Hypothesis strategies for invalid resource models, derived from the resource schema.

Each example is (model, path): a valid model with one property broken, and the property
path the handler's message must name. Schema breaks cover every constraint at every
writable path (type, enum, pattern, length, range, item count, required, unknown key);
cross-field breaks cover the rules the schema cannot express.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from sandbox.schemas import EXPERIMENT

from .seed import shadow_test_request

SCHEMA = EXPERIMENT.document
READ_ONLY = EXPERIMENT.read_only
UNICODE_CLASSES = {r"\p{L}": r"\w", r"\p{N}": r"\w", r"\p{Z}": r"\s"}
Case = tuple[dict[str, Any], str]


def valid_model(name: str = "bad-input") -> dict[str, Any]:
    """A model that sets every writable property validly, for one of them to be broken."""
    return {
        **shadow_test_request(name, endpoint_name="bad-input-endpoint"),
        "Description": "valid before one property is broken",
        "DataStorageConfig": {
            "Destination": "s3://capture/shadow",
            "KmsKey": "capture-key",
            "ContentType": {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]},
        },
        "Schedule": {"StartTime": "2030-01-01T00:00:00Z", "EndTime": "2030-01-10T00:00:00Z"},
        "KmsKey": "volume-key",
        "DesiredState": "Running",
        "StatusReason": "a reason",
        "Tags": [{"Key": "team", "Value": "ml"}],
    }


def python_pattern(pattern: str) -> re.Pattern[str]:
    for unicode_class, stand_in in UNICODE_CLASSES.items():
        pattern = pattern.replace(unicode_class, stand_in)
    return re.compile(pattern)


WRONG_TYPE = {
    "string": st.one_of(st.lists(st.integers(), max_size=2), st.dictionaries(st.just("k"), st.integers(), max_size=1)),
    # A float with no fractional part (5.0) is an integer to JSON Schema and to Cloud Control.
    "integer": st.one_of(
        st.text(alphabet="xyz ", min_size=1, max_size=5),
        st.floats(0.5, 9.5).filter(lambda value: not value.is_integer()),
        st.lists(st.integers(), max_size=1),
    ),
    "object": st.one_of(st.text(min_size=1, max_size=5), st.lists(st.integers(), max_size=2), st.integers()),
    "array": st.one_of(
        st.text(min_size=1, max_size=5), st.dictionaries(st.just("k"), st.text(max_size=3), max_size=1), st.integers()
    ),
}


def breaks(node: dict[str, Any], sample: Any) -> list[st.SearchStrategy[Any]]:
    """Strategies for values that break one constraint of `node` (`sample` is a valid value)."""
    node = EXPERIMENT.resolve(node)
    kind = node.get("type")
    found: list[st.SearchStrategy[Any]] = []
    if kind in WRONG_TYPE:
        found.append(WRONG_TYPE[kind])
    if "enum" in node:
        found.append(st.text(min_size=1, max_size=12).filter(lambda v: v not in node["enum"]))
    if kind == "string":
        if "maxLength" in node:
            found.append(st.integers(node["maxLength"] + 1, node["maxLength"] + 40).map(lambda n: "a" * n))
        if node.get("minLength", 0) > 0:
            found.append(st.just(""))
        if "pattern" in node:
            found += pattern_breaks(python_pattern(node["pattern"]))
    if kind == "integer":
        if "minimum" in node:
            found.append(st.integers(max_value=node["minimum"] - 1, min_value=node["minimum"] - 1000))
        if "maximum" in node:
            found.append(st.integers(min_value=node["maximum"] + 1, max_value=node["maximum"] + 1000))
    if kind == "array" and isinstance(sample, list) and sample:
        if "maxItems" in node:
            found.append(st.integers(node["maxItems"] + 1, node["maxItems"] + 3).map(lambda n: [sample[0]] * n))
        if node.get("minItems", 0) > 0:
            found.append(st.just([]))
    return found


BREAKERS = ("#", "%", "-", "_", " ", "é")


def pattern_breaks(pattern: re.Pattern[str]) -> list[st.SearchStrategy[str]]:
    """Text that `pattern` does not match: a breaking first character and random rest.
    A pattern that matches everything (like `.*`) cannot be broken and yields nothing."""
    breakers = [b for b in BREAKERS if not pattern.search(b + "x")]
    if not breakers:
        return []
    texts = st.tuples(st.sampled_from(breakers), st.text(alphabet="abc#%_ ", max_size=8)).map("".join)
    return [texts.filter(lambda v: not pattern.search(v))]


def paths(node: dict[str, Any], sample: Any, path: str) -> list[tuple[str, dict[str, Any], Any]]:
    """Every (path, schema node, valid value) reachable in `sample`."""
    node = EXPERIMENT.resolve(node)
    found = [(path, node, sample)] if path else []
    if isinstance(sample, dict):
        for key, value in sample.items():
            child = node.get("properties", {}).get(key)
            if child is not None and key not in READ_ONLY:
                found += paths(child, value, f"{path}.{key}" if path else key)
    elif isinstance(sample, list) and sample:
        found += paths(node.get("items", {}), sample[0], f"{path}[0]")
    return found


def set_at(model: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(model)
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    target: Any = broken
    for key in keys[:-1]:
        target = target[key]
    if value is REMOVE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return broken


REMOVE = object()


def value_at(base: dict[str, Any], path: str) -> Callable[[Any], Case]:
    """Put a drawn value at `path`."""
    return lambda value: (set_at(base, path, value), path)


def unknown_key_under(base: dict[str, Any], path: str) -> Callable[[str], Case]:
    """Add a drawn key the schema does not know under `path`."""
    return lambda key: (set_at(base, f"{path}.{key}", 1), f"{path}.{key}")


def schema_breaks() -> st.SearchStrategy[Case]:
    base = valid_model()
    options: list[st.SearchStrategy[Case]] = []
    for path, node, sample in paths(SCHEMA, base, ""):
        for strategy in breaks(node, sample):
            options.append(strategy.map(value_at(base, path)))
    for path, node, sample in paths(SCHEMA, base, ""):
        if isinstance(sample, dict):
            for required in EXPERIMENT.resolve(node).get("required", []):
                options.append(st.just((set_at(base, f"{path}.{required}", REMOVE), f"{path}.{required}")))
            options.append(st.sampled_from(["Colour", "Weight", "Extra"]).map(unknown_key_under(base, path)))
    for required in SCHEMA["required"]:
        options.append(st.just((set_at(base, required, REMOVE), required)))
    options.append(st.sampled_from(["Colour", "Weight"]).map(lambda key: (set_at(base, key, 1), key)))
    return st.one_of(options)


NAMES = st.from_regex(r"\A[a-z][a-z0-9]{0,10}\Z").filter(lambda n: n not in ("production", "shadow"))


def cross_field_breaks() -> st.SearchStrategy[Case]:
    base = valid_model()
    shadow_path = "ShadowModeConfig.ShadowModelVariants[0]"
    return st.one_of(
        NAMES.map(
            lambda n: (
                set_at(base, "ShadowModeConfig.SourceModelVariantName", n),
                "ShadowModeConfig.SourceModelVariantName",
            )
        ),
        NAMES.map(
            lambda n: (
                set_at(base, f"{shadow_path}.ShadowModelVariantName", n),
                f"{shadow_path}.ShadowModelVariantName",
            )
        ),
        st.integers(-100, 0).map(
            lambda v: (set_at(base, f"{shadow_path}.SamplingPercentage", v), f"{shadow_path}.SamplingPercentage")
        ),
        st.just((set_at(base, "ModelVariants[1].VariantName", "production"), "ModelVariants")),
        st.just((set_at(base, "ShadowModeConfig", REMOVE), "ShadowModeConfig")),
        st.text(alphabet="abcxyz :/", min_size=1, max_size=12).map(
            lambda t: (set_at(base, "Schedule.StartTime", t), "Schedule.StartTime")
        ),
        st.integers(1, 400).map(
            lambda hours: (
                set_at(base, "Schedule.EndTime", f"2029-12-{31 - hours // 24 % 28:02d}T00:00:00Z"),
                "Schedule.EndTime",
            )
        ),
        st.integers(31, 120).map(
            lambda days: (
                set_at(base, "Schedule.EndTime", f"2030-{1 + days // 28:02d}-{1 + days % 28:02d}T00:00:00Z"),
                "Schedule",
            )
        ),
    )


def invalid_models() -> st.SearchStrategy[Case]:
    return st.one_of(schema_breaks(), cross_field_breaks())
