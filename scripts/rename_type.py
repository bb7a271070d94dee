"""Rename the provider in a copy of the project: `python rename_type.py DIR Acme::SageMaker::InferenceExperiment`.

The AWS namespace is reserved for AWS's own types, so an operator registers this provider
under their own type name. Every spelling of the name (type name, Python package, file
name) is replaced consistently; `cfn generate` then regenerates models, docs and role.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ORIGINAL = "AWS::SageMaker::InferenceExperiment"
TEXT_SUFFIXES = {".py", ".json", ".yml", ".yaml", ".md", ""}
TYPE_NAME = re.compile(r"^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$")


def spellings(type_name: str) -> dict[str, str]:
    return {
        "type": type_name,
        "package": type_name.lower().replace("::", "_"),
        "file": type_name.lower().replace("::", "-"),
    }


def rename(project: Path, new_type: str) -> None:
    if not TYPE_NAME.match(new_type) or new_type.startswith(("AWS::", "Alexa::", "Custom::", "Dev::")):
        raise SystemExit(f"{new_type!r} is not a type name you can register (Namespace::Service::Resource, not AWS::)")
    old, new = spellings(ORIGINAL), spellings(new_type)
    for path in sorted(project.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "build" not in path.parts:
            text = path.read_text(encoding="utf-8")
            for key in ("type", "package", "file"):
                text = text.replace(old[key], new[key])
            path.write_text(text, encoding="utf-8")
    (project / "src" / old["package"]).rename(project / "src" / new["package"])
    (project / f"{old['file']}.json").rename(project / f"{new['file']}.json")
    print(f"renamed {ORIGINAL} to {new_type} (package {new['package']})")


if __name__ == "__main__":
    rename(Path(sys.argv[1]), sys.argv[2])
