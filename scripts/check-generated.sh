#!/usr/bin/env bash
# Fail when models.py, docs/ or resource-role.yaml differ from what `cfn generate`
# makes of the committed schema. Generation runs in a scratch copy, so the work
# tree is never touched.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cp -r "$root/.rpdk-config" "$root/aws-sagemaker-inferenceexperiment.json" "$root/src" "$root/template.yml" "$scratch/"
mkdir "$scratch/docs"
(cd "$scratch" && cfn generate >/dev/null 2>&1) || { echo "cfn generate failed in $scratch"; exit 1; }

status=0
check() {
  if ! diff -u "$root/$1" "$scratch/$1" >/dev/null 2>&1; then
    echo "out of date: $1 (run 'cfn generate' and commit the result)"
    diff -u "$root/$1" "$scratch/$1" | head -20 || true
    status=1
  fi
}
check src/aws_sagemaker_inferenceexperiment/models.py
check resource-role.yaml
for generated in "$scratch"/docs/*; do
  check "docs/$(basename "$generated")"
done
[ "$status" -eq 0 ] && echo "generated code is up to date"
exit "$status"
