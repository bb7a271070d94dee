"""Finish the package `cfn submit --dry-run` built: `python finish_zip.py PACKAGE.zip`, run by
the Lambda runtime's Python. The plugin leaves out every .pyc and keeps pip's `bin/` scripts
(which name the build machine's interpreter); this drops `bin/` and adds bytecode compiled by
the runtime's Python, so a read-only task root (Lambda's /var/task) needs no compiling at cold
start. The bytecode is unchecked-hash based: the task root never changes under it, and zip
timestamps (2-second resolution) would invalidate timestamp-based bytecode. Another Python
looks for its own cache tag (cpython-313...) and compiles from the sources, as before."""

from __future__ import annotations

import compileall
import io
import py_compile
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

INNER = "ResourceProvider.zip"
TASK_ROOT = "/var/task"
LEFT_OUT = ("bin/",)


def finished_inner(inner: bytes, scratch: Path) -> bytes:
    with zipfile.ZipFile(io.BytesIO(inner)) as archive:
        archive.extractall(scratch)
    for folder in LEFT_OUT:
        shutil.rmtree(scratch / folder, ignore_errors=True)
    compiled = compileall.compile_dir(
        scratch,
        quiet=2,
        stripdir=str(scratch),
        prependdir=TASK_ROOT,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    if not compiled:
        raise SystemExit("compileall failed on the package")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(scratch.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(scratch).as_posix())
    return output.getvalue()


def finish(package: Path) -> None:
    with zipfile.ZipFile(package) as outer:
        entries = [(info, outer.read(info)) for info in outer.infolist()]
    with tempfile.TemporaryDirectory() as scratch, zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as outer:
        for info, data in entries:
            outer.writestr(info, finished_inner(data, Path(scratch)) if info.filename == INNER else data)


if __name__ == "__main__":
    finish(Path(sys.argv[1]))
