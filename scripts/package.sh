#!/usr/bin/env bash
# Build the Lambda zip exactly as `cfn submit` would, without registering anything,
# and show what is inside. Runs in a scratch copy so build/ never lands in the tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$root/.rpdk-config" "$root/aws-sagemaker-inferenceexperiment.json" "$root/src" "$root/template.yml" \
  "$root/requirements.txt" "$root/docs" "$root/resource-role.yaml" "$scratch/"
[ -d "$root/inputs" ] && cp -r "$root/inputs" "$scratch/"
(cd "$scratch" && cfn submit --dry-run >"$scratch/submit.log" 2>&1) || { cat "$scratch/submit.log"; exit 1; }
zip=$(ls "$scratch"/*.zip)
python3 - "$zip" <<'PY'
import sys, zipfile, io
outer = zipfile.ZipFile(sys.argv[1])
names = outer.namelist()
print(f"package built: {sys.argv[1].rsplit('/', 1)[-1]} ({sum(i.file_size for i in outer.infolist())} bytes unpacked), {len(names)} entries: {', '.join(sorted(names))}")
assert "schema.json" in names and "ResourceProvider.zip" in names, names
inner = zipfile.ZipFile(io.BytesIO(outer.read("ResourceProvider.zip")))
handler = [n for n in inner.namelist() if n.startswith("aws_sagemaker_inferenceexperiment/")]
assert "aws_sagemaker_inferenceexperiment/handlers.py" in handler, "handler package missing from ResourceProvider.zip"
assert not any(n.startswith(("sandbox/", "tests/")) for n in inner.namelist()), "local tooling leaked into the Lambda zip"
print(f"ResourceProvider.zip: {len(inner.namelist())} files, handler package: {len(handler)} files")
PY
