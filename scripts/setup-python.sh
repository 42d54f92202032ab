#!/usr/bin/env bash
# Installs the Python readers the tests check our Parquet with (pyarrow, DuckDB) into a venv
# under target/pyenv. Idempotent: does nothing when the venv already has them.
# Prints the venv's python on stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/target/pyenv"
py="$venv/bin/python"
if [ -x "$py" ] && "$py" -c 'import pyarrow, duckdb, pandas, polars' >/dev/null 2>&1; then
  echo "$py"
  exit 0
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  # Debian splits venv/ensurepip into python3-venv.
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq python3-venv) >&2
  fi
fi
python3 -m venv "$venv" >&2
"$py" -m pip install --quiet --disable-pip-version-check -r "$root/scripts/requirements.txt" >&2
echo "$py"
