"""Small conversions shared by the emulator's models and validators."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .exceptions import ValidationError

SEVEN_DAYS = 7 * 24 * 3600.0
THIRTY_DAYS = 30 * 24 * 3600.0


def epoch(value: Any) -> float:
    """Accept what moto's parser hands over for a timestamp: number, datetime or ISO text."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ValidationError(f"Value '{text}' is not a valid timestamp.") from error
    return epoch(parsed)


def as_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def within(moment: float, after: Any, before: Any) -> bool:
    return (after is None or moment > epoch(after)) and (before is None or moment < epoch(before))


def merge_tags(existing: list[dict[str, str]], added: list[dict[str, str]]) -> list[dict[str, str]]:
    """AddTags semantics: a key already present takes the new value."""
    merged = {t["Key"]: t["Value"] for t in existing}
    merged.update({t["Key"]: t["Value"] for t in added})
    return [{"Key": k, "Value": v} for k, v in merged.items()]
