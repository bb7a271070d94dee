"""The requests Cloud Control clients build, reimplemented from what each client's code does
(see docs/cloudcontrol.md, one section per client), so tests can replay them through the
local Cloud Control API. Property names are CloudFormation's; each client's own naming
layer (Terraform's snake_case, Pulumi's camelCase) is left out."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

from aws_sagemaker_inferenceexperiment.properties import FACTS

Patch = list[dict[str, Any]]


def json_diff(old: Any, new: Any, path: str = "") -> Patch:
    """A JSON Patch from `old` to `new`, as the Go clients' `jsonpatch.CreatePatch` builds it:
    objects member by member (add, remove, replace), arrays of equal length item by item,
    anything else replaced whole. (Arrays whose length changed are replaced whole here, where
    the Go library adds or removes items by index; Cloud Control applies either to the same
    result.)"""
    if isinstance(old, dict) and isinstance(new, dict):
        patch: Patch = []
        for key in sorted(set(old) | set(new)):
            where = f"{path}/{key.replace('~', '~0').replace('/', '~1')}"
            if key not in new:
                patch.append({"op": "remove", "path": where})
            elif key not in old:
                patch.append({"op": "add", "path": where, "value": copy.deepcopy(new[key])})
            else:
                patch.extend(json_diff(old[key], new[key], where))
        return patch
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            op for index, (a, b) in enumerate(zip(old, new, strict=True)) for op in json_diff(a, b, f"{path}/{index}")
        ]
    return [] if old == new else [{"op": "replace", "path": path, "value": copy.deepcopy(new)}]


def stackql_patch(properties: dict[str, Any]) -> Patch:
    """StackQL (stackql-deploy's `generate_patch_document` filter): one `add` per property
    given, changed or not; a string that parses as JSON is sent parsed."""
    patch = []
    for key, value in properties.items():
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        patch.append({"op": "add", "path": f"/{key}", "value": value})
    return patch


def stackql_update(template: dict[str, Any]) -> Patch:
    """A StackQL UPDATE of every property a user may change (Cloud Control refuses create-only ones)."""
    return stackql_patch({k: v for k, v in template.items() if k not in FACTS.create_only})


def aws_cloudcontrolapi_patch(old_desired_state: dict[str, Any], new_desired_state: dict[str, Any]) -> Patch:
    """hashicorp/aws `aws_cloudcontrolapi_resource`: the patch between the old and new
    `desired_state` arguments (its own state), nothing else."""
    return json_diff(old_desired_state, new_desired_state)


def awscc_patch(prior_state: dict[str, Any], planned_state: dict[str, Any]) -> Patch:
    """hashicorp/awscc: write-only attributes nulled in the prior state, then the patch to the
    planned state, so every write-only attribute that is set is re-added; key-value arrays
    (Tags) replaced whole, since Cloud Control does not keep their order."""
    prior = {k: v for k, v in prior_state.items() if k not in FACTS.write_only}
    untagged = json_diff(_without(prior, FACTS.tags), _without(planned_state, FACTS.tags))
    tags = json_diff(_only(prior, FACTS.tags), _only(planned_state, FACTS.tags))
    if not tags:
        return untagged
    whole = {"op": tags[0]["op"], "path": "/" + FACTS.tags}
    return [*untagged, whole if whole["op"] == "remove" else {**whole, "value": planned_state[FACTS.tags]}]


def _without(model: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in model.items() if k != key}


def _only(model: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in model.items() if k == key}


def pulumi_patch(old_inputs: dict[str, Any], new_inputs: dict[str, Any]) -> Patch:
    """pulumi/aws-native: top-level properties only; a changed one is `replace`d whole (`add`
    when write-only, since Cloud Control never holds its old value), a new one `add`ed, a
    dropped one `remove`d, and every unchanged write-only, non-create-only one re-`add`ed."""
    patch: Patch = []
    resend = set(FACTS.write_only) - set(FACTS.create_only)
    for key in sorted(set(old_inputs) | set(new_inputs)):
        if key not in new_inputs:
            patch.append({"op": "remove", "path": f"/{key}"})
        elif key not in old_inputs or key in resend:
            patch.append({"op": "add", "path": f"/{key}", "value": copy.deepcopy(new_inputs[key])})
        elif old_inputs[key] != new_inputs[key]:
            patch.append({"op": "replace", "path": f"/{key}", "value": copy.deepcopy(new_inputs[key])})
    return patch
