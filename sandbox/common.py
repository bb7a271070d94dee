"""Facts and helpers every layer of the sandbox shares; imports nothing from the sandbox."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
