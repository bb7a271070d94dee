"""Pure tag arithmetic: merging template and stack tags, and what an update must change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def managed_tags(
    template_tags: Sequence[Mapping[str, Any]] | None, stack_tags: Mapping[str, Any] | None
) -> dict[str, str]:
    """Stack-level tags overlaid by the template's own (template wins); never `aws:` keys."""
    merged = {str(k): str(v) for k, v in (stack_tags or {}).items()}
    merged.update({str(t["Key"]): str(t["Value"]) for t in template_tags or []})
    return {k: v for k, v in merged.items() if not k.startswith("aws:")}


def tag_changes(previous: Mapping[str, str], desired: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """(tags to add or overwrite, keys to delete); keys never managed are left alone."""
    to_add = {k: v for k, v in desired.items() if previous.get(k) != v}
    to_remove = sorted(k for k in previous if k not in desired)
    return to_add, to_remove
