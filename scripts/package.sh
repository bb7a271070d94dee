#!/usr/bin/env bash
# Build the Lambda zip as `cfn submit` does, without registering anything, then finish it and
# check what is inside. With TYPE_NAME set, first rename the provider to that type name
# (scripts/rename_type.py) and regenerate. Runs in a scratch copy: the tree is never touched.
# Built by the runtime's Python (.rpdk-config's runtime, from pyenv: scripts/runtime-venv.sh),
# so compiled modules and bytecode match what Lambda runs; requirements.txt is the complete
# pinned list (PIP_NO_DEPS), so nothing unpinned or unimported (setuptools) comes along;
# scripts/finish_zip.py drops pip's bin/ and adds the runtime's bytecode.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runtime_version=$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))["runtime"].removeprefix("python"))' \
  "$root/.rpdk-config")
runtime_venv=$(bash "$root/scripts/runtime-venv.sh" "$runtime_version")
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
(cd "$scratch" && PATH="$runtime_venv/bin:$PATH" PIP_NO_DEPS=1 cfn submit --dry-run >"$work/submit.log" 2>&1) ||
  { cat "$work/submit.log"; exit 1; }
zip=$(ls "$scratch"/*.zip)
"$runtime_venv/bin/python" "$root/scripts/finish_zip.py" "$zip"
"$runtime_venv/bin/python" - "$zip" "$type_name" <<'PY'
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
# Only what runs ships: no pip scripts, no setuptools; every compiled module is for this
# (the runtime's) Python, and every module has its bytecode for it.
files = set(inner.namelist())
assert not any(n.startswith(("bin/", "setuptools/", "pkg_resources/", "_distutils_hack/")) for n in files), \
    sorted(n for n in files if n.startswith(("bin/", "setuptools/", "pkg_resources/", "_distutils_hack/")))[:5]
compiled = [n for n in files if n.endswith(".so")]
tag = sys.implementation.cache_tag
foreign = [n for n in compiled if f".{tag}-" not in n and ".abi3." not in n]
assert not foreign, f"compiled modules for another Python than {tag}: {foreign}"
sources = [n for n in files if n.endswith(".py")]
missing = [n for n in sources if "/" in n and f"{n.rsplit('/', 1)[0]}/__pycache__/{n.rsplit('/', 1)[1][:-3]}.{tag}.pyc" not in files]
assert not missing, f"modules without {tag} bytecode: {missing[:5]}"
size = sum(i.file_size for i in inner.infolist())
print(f"package built: build/{path.rsplit('/', 1)[-1]} for {type_name}: {len(files)} files, "
      f"{size / 1e6:.1f} MB unpacked, {len(outer.read('ResourceProvider.zip')) / 1e6:.1f} MB zipped, "
      f"handler package {package} ({len(handler)} files), {len(compiled)} compiled modules and "
      f"{len(sources)} modules' bytecode for {tag}")
PY
mkdir -p "$root/build"
cp "$zip" "$root/build/"
