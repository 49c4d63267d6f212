#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster and create the test role and database (idempotent).
# Run as root on a machine with the postgresql package; used by .ci/run. Afterwards:
#   export ENTITYSCREEN_TEST_PG=postgresql://es:es@127.0.0.1:5432/es_test
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q .; then
  pg_createcluster "$version" main >/dev/null
fi
cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
# shellcheck disable=SC2086
pg_ctlcluster $cluster start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "psql -qtAc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'es'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE es LOGIN PASSWORD 'es'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'es_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O es es_test"
echo "postgresql ready: postgresql://es:***@127.0.0.1:5432/es_test"
