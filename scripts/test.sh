#!/usr/bin/env bash
# The whole test suite, from nothing: makes .venv, installs handover with its test
# dependencies, and runs pytest. The Neo4j tests start the project's own local Neo4j
# (resolved from Maven Central into ~/.m2 on first use) and stop it at the end.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k parity -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
# Headless Chromium renders the audit page in tests/audit (network off).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need_apt[*]} (needed by the tests: the local Neo4j, Chromium for the audit page)" >&2
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing: ${need_apt[*]} — install them (e.g. apt-get install ${need_apt[*]})" >&2
    exit 1
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
exec .venv/bin/python -m pytest "$@"
