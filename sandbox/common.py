"""Facts and helpers every layer of the sandbox shares; imports nothing from the sandbox."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def patched(module: Any, name: str, replacement: Any) -> Iterator[Callable[..., Any]]:
    """Swap `module.name` for `replacement` while the block runs; yield the original."""
    original = getattr(module, name)
    setattr(module, name, replacement)
    try:
        yield original
    finally:
        setattr(module, name, original)


def is_endpoint_url(url: str) -> bool:
    """An http(s) URL with a host and, if any, a port 0-65535: what botocore and urllib accept."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (parsing the port is the check)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
