#!/bin/sh
# Creates (or brings up to date) the role the app connects as: yian_app, LOGIN with APP_DB_PASSWORD, and none of
# the powers that would let it get round the database's protections (docs/adr/0005-database-roles.md). Run by
# compose's one-shot db-init service before the app on every `up` (fresh volumes and upgrades alike), connected as
# the owner (POSTGRES_USER). The tables' grants are the app's migrations' business (they run as the owner).
set -eu
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 -v app_password="$APP_DB_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE yian_app' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yian_app') \gexec
ALTER ROLE yian_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD :'app_password';
SQL
echo "role yian_app ready"
