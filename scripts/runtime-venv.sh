#!/usr/bin/env bash
# A throwaway virtualenv of the Lambda runtime's Python, pyenv's newest VERSION.x, with
# requirements-lambda-runtime.txt installed: scripts/runtime-venv.sh VERSION prints its path.
# Rebuilt when the requirements change; fails, saying why, when pyenv has no such Python.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$1
requirements="$root/requirements-lambda-runtime.txt"
pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
python=""
for candidate in $(ls -d "$pyenv_root/versions/$version".* 2>/dev/null | sort -V); do
  if [ -x "$candidate/bin/python" ]; then python="$candidate/bin/python"; fi
done
if [ -z "$python" ]; then
  echo "error: Python $version (to build and run the zip as Lambda's python$version runtime does) is not installed under pyenv" \
    "($pyenv_root/versions has none); install it with 'pyenv install $version' and run make again." >&2
  exit 1
fi
venv="$root/build/runtime/python$version"
stamp="$venv/.installed-$(sha1sum "$requirements" | cut -c1-12)-$(basename "$(dirname "$(dirname "$python")")")"
if [ ! -e "$stamp" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
  touch "$stamp"
fi
echo "$venv"
