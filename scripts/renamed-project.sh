#!/usr/bin/env bash
# Write a copy of the provider project renamed to TYPE_NAME into DEST, regenerated with
# `cfn generate`, ready for `cfn submit`: scripts/renamed-project.sh DEST TYPE_NAME
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$1
type_name=$2
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  echo "$dest exists and is not empty; choose a new directory" >&2
  exit 1
fi
mkdir -p "$dest"
cp -r "$root/.rpdk-config" "$root"/*.json "$root/src" "$root/template.yml" \
  "$root/requirements.txt" "$root/docs" "$root/resource-role.yaml" "$root/inputs" "$dest/"
python "$root/scripts/rename_type.py" "$dest" "$type_name"
(cd "$dest" && cfn generate >/dev/null 2>&1) || { echo "cfn generate failed in $dest" >&2; exit 1; }
echo "renamed project ready in $dest"
