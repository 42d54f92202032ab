#!/usr/bin/env bash
# Installs PySpark (and Java 17 where it is missing) for the Spark recipe test, into the same venv
# as the other Python readers (scripts/setup-python.sh). Idempotent. Prints the venv's python.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=$("$root/scripts/setup-python.sh")
if ! command -v java >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless) >&2
fi
if ! "$py" -c 'import pyspark' >/dev/null 2>&1; then
  "$py" -m pip install --quiet --disable-pip-version-check -r "$root/scripts/requirements-spark.txt" >&2
fi
echo "$py"
