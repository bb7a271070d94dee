#!/usr/bin/env bash
# Build the Lambda zip exactly as `cfn submit` would, without registering anything, and
# check what is inside. With TYPE_NAME set, first rename the provider to that type name
# (scripts/rename_type.py) and regenerate. Runs in a scratch copy: the tree is never touched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scratch="$work/project"
type_name=${TYPE_NAME:-AWS::SageMaker::InferenceExperiment}
if [ -n "${TYPE_NAME:-}" ]; then
  bash "$root/scripts/renamed-project.sh" "$scratch" "$TYPE_NAME"
else
  mkdir "$scratch"
  cp -r "$root/.rpdk-config" "$root"/*.json "$root/src" "$root/template.yml" \
    "$root/requirements.txt" "$root/docs" "$root/resource-role.yaml" "$root/inputs" "$scratch/"
fi
(cd "$scratch" && cfn submit --dry-run >"$work/submit.log" 2>&1) || { cat "$work/submit.log"; exit 1; }
zip=$(ls "$scratch"/*.zip)
mkdir -p "$root/build"
cp "$zip" "$root/build/"
python - "$zip" "$type_name" <<'PY'
import io, json, sys, zipfile
path, type_name = sys.argv[1], sys.argv[2]
package = type_name.lower().replace("::", "_")
outer = zipfile.ZipFile(path)
names = outer.namelist()
assert "schema.json" in names and "ResourceProvider.zip" in names, names
schema = json.loads(outer.read("schema.json"))
assert schema["typeName"] == type_name, schema["typeName"]
config = json.loads(outer.read(".rpdk-config"))
assert config["entrypoint"] == f"{package}.handlers.resource", config["entrypoint"]
inner = zipfile.ZipFile(io.BytesIO(outer.read("ResourceProvider.zip")))
handler = [n for n in inner.namelist() if n.startswith(f"{package}/")]
assert f"{package}/handlers.py" in handler and f"{package}/models.py" in handler, handler
assert not any(n.startswith(("sandbox/", "tests/")) for n in inner.namelist()), "local tooling leaked into the Lambda zip"
# Built without Docker on this machine's Python: every compiled module must have a
# pure-Python twin, so the Lambda runtime (another Python version) can import it.
files = set(inner.namelist())
compiled = [n for n in files if n.endswith(".so")]
stranded = [n for n in compiled if n.split(".", 1)[0] + ".py" not in files]
assert not stranded, f"compiled modules without a pure-Python fallback: {stranded}"
size = sum(i.file_size for i in inner.infolist())
print(f"package built: build/{path.rsplit('/', 1)[-1]} for {type_name}: {len(inner.namelist())} files, "
      f"{size / 1e6:.1f} MB unpacked, handler package {package} ({len(handler)} files), "
      f"{len(compiled)} optional compiled modules, each with a pure-Python fallback")
PY
