#!/usr/bin/env bash
# Sets a machine up for l10n_fr_dunning and runs it: `harness.sh demo|test|setup`.
# Finds Odoo 18 at $ODOO_SRC (default /opt/odoo18), never ships or rebuilds it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo18}
ODOO_UPSTREAM=${ODOO_UPSTREAM:-https://github.com/odoo/odoo.git}
DUNNING_HOME=${DUNNING_HOME:-$HOME/.cache/l10n_fr_dunning}
VENV=$DUNNING_HOME/venv
LINT_VENV=$DUNNING_HOME/lint-venv
ADDONS=$DUNNING_HOME/addons
CONF=$DUNNING_HOME/odoo.conf
PY=$VENV/bin/python
DEMO_DB=${DEMO_DB:-dunning_demo}
HTTP_PORT=${HTTP_PORT:-8069}
# Modules the test and demo databases start from; l10n_fr_account brings the French chart.
BASE_MODULES=account,l10n_fr_account

say() { printf '\033[1m[l10n_fr_dunning]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[l10n_fr_dunning] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root (or sudo) to run: $*"; fi; }

is_odoo18() { [ -f "$1/odoo/release.py" ] && grep -qE "^version_info = \(18, 0" "$1/odoo/release.py"; }

find_odoo() {
    if is_odoo18 "$ODOO_SRC"; then return; fi
    say "No Odoo 18 tree at $ODOO_SRC; trying the upstream 18.0 branch ($ODOO_UPSTREAM)"
    if [ ! -e "$ODOO_SRC" ] && timeout 600 git clone --quiet --depth 1 --branch 18.0 "$ODOO_UPSTREAM" "$ODOO_SRC" 2>/dev/null \
        && is_odoo18 "$ODOO_SRC"; then
        return
    fi
    die "Odoo 18.0 Community was not found at ODOO_SRC=$ODOO_SRC and could not be cloned.
  Provide a checkout of Odoo 18.0 Community (the tree that holds odoo/release.py with version_info = (18, 0, ...)
  and its addons) at $ODOO_SRC, or set ODOO_SRC=/path/to/odoo-18.0, then run this command again."
}

install_system_packages() {
    local missing=()
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    command -v chromium >/dev/null || missing+=(chromium)
    [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
    command -v psql >/dev/null || missing+=(postgresql-client-15)
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

start_postgresql() {
    if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main'; then
        as_root pg_createcluster 15 main >/dev/null
    fi
    if ! pg_lsclusters -h | grep -qE '^15 +main +[0-9]+ +online'; then
        say "Starting PostgreSQL 15"
        as_root pg_ctlcluster 15 main start
    fi
    local user; user=$(id -un)
    if ! as_root runuser -u postgres -- psql -tAc "select 1 from pg_roles where rolname='$user'" | grep -q 1; then
        say "Creating the PostgreSQL role $user"
        as_root runuser -u postgres -- createuser --createdb --superuser "$user"
    fi
    psql -d postgres -tAc 'select 1' >/dev/null || die "PostgreSQL 15 does not answer on its local socket."
}

setup_python() {
    mkdir -p "$DUNNING_HOME"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    local reqs="$DUNNING_HOME/requirements.txt"
    python3 "$REPO/scripts/odoo_requirements.py" "$ODOO_SRC/requirements.txt" > "$reqs"
    cat "$REPO/requirements.txt" >> "$reqs"
    local stamp="$VENV/.requirements.sha"
    if [ "$(sha256sum < "$reqs")" != "$(cat "$stamp" 2>/dev/null)" ]; then
        say "Installing Python requirements into $VENV"
        "$PY" -m pip install -q --disable-pip-version-check -r "$reqs"
        sha256sum < "$reqs" > "$stamp"
    fi
}

write_config() {
    # Odoo loads the addon by its technical name whatever the checkout folder is called.
    mkdir -p "$ADDONS"
    ln -sfn "$REPO" "$ADDONS/l10n_fr_dunning"
    cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ADDONS
data_dir = $DUNNING_HOME/data
db_host = False
db_port = False
http_port = $HTTP_PORT
http_interface = 127.0.0.1
list_db = True
CONF
}

setup() {
    find_odoo; install_system_packages; start_postgresql; setup_python; write_config
    export PYTHONPATH=$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}
}

odoo() { "$PY" "$ODOO_SRC/setup/odoo" -c "$CONF" "$@"; }

# A database with the base modules only, copied for every test run (installing the
# chart takes minutes; the copy takes seconds).  Keyed by the Odoo tree, the modules and
# whether demo data is loaded: `base_template` or `base_template demo`.
base_template() {
    local demo=${1:-}
    local key; key=$( (cat "$ODOO_SRC/odoo/release.py"; echo "$BASE_MODULES $demo"; cat "$VENV/.requirements.sha") | sha256sum | cut -c1-10)
    local tmpl="dunning_tmpl_$key"
    if ! psql -d postgres -tAc "select 1 from pg_database where datname='$tmpl'" | grep -q 1; then
        say "Creating the base database $tmpl ($BASE_MODULES${demo:+, with demo data})"
        dropdb --if-exists "$tmpl.partial"
        local flags=(--without-demo=all); [ -n "$demo" ] && flags=()
        odoo -d "$tmpl.partial" -i "$BASE_MODULES" "${flags[@]}" --stop-after-init --log-level=warn \
            || die "installing $BASE_MODULES failed"
        psql -d postgres -qc "alter database \"$tmpl.partial\" rename to \"$tmpl\""
        rm -rf "$DUNNING_HOME/data/filestore/$tmpl"
        mv "$DUNNING_HOME/data/filestore/$tmpl.partial" "$DUNNING_HOME/data/filestore/$tmpl" 2>/dev/null || true
    fi
    echo "$tmpl"
}

drop_database() {
    dropdb --if-exists "$1" >/dev/null 2>&1 || true
    rm -rf "$DUNNING_HOME/data/filestore/$1"
}

# Installs the module with its demo data, then uninstalls it: both must leave a working database.
check_install_cycle() {
    local db="dunning_cycle_$$"
    copy_database "$(base_template demo)" "$db"
    local log="$DUNNING_HOME/install-cycle.log"
    say "Install with demo data, then uninstall, in $db (log: $log)"
    odoo -d "$db" -i l10n_fr_dunning --stop-after-init --log-level=warn >"$log" 2>&1 \
        || { tail -40 "$log"; die "installing with demo data failed"; }
    # Odoo logs the demo partners it cannot delete (invoices still point to them): expected, not a failure.
    echo "env['ir.module.module'].search([('name', '=', 'l10n_fr_dunning')]).button_immediate_uninstall(); env.cr.commit()" \
        | "$PY" "$ODOO_SRC/setup/odoo" shell -c "$CONF" -d "$db" --no-http --log-level=warn >>"$log" 2>&1 \
        || { tail -40 "$log"; die "uninstalling l10n_fr_dunning failed"; }
    local state; state=$(psql -d "$db" -tAc "select state from ir_module_module where name='l10n_fr_dunning'")
    [ "$state" = uninstalled ] || die "l10n_fr_dunning is '$state' after uninstall"
    local left; left=$(psql -d "$db" -tAc "select count(*) from information_schema.tables where table_name like 'l10n_fr_dunning_%'")
    [ "$left" = 0 ] || die "uninstall left $left l10n_fr_dunning tables behind"
    drop_database "$db"
    say "Install with demo data and uninstall: ok"
}

manifest_version() {  # manifest_version COMMIT|worktree
    if [ "$1" = worktree ]; then cat "$REPO/__manifest__.py"; else git -C "$REPO" show "$1:__manifest__.py"; fi \
        | sed -n 's/.*"version": *"\([^"]*\)".*/\1/p'
}

# Installs the previous version of the module (the last commit whose manifest had another version) with demo
# data, then upgrades it to the working tree: the upgrade must succeed and keep the customers' dunning settings.
check_upgrade() {
    local current previous="" commit
    current=$(manifest_version worktree)
    for commit in $(git -C "$REPO" log --first-parent --format=%H); do
        if [ "$(manifest_version "$commit")" != "$current" ]; then previous=$commit; break; fi
    done
    [ -n "$previous" ] || die "no commit has a version other than $current in __manifest__.py: nothing to upgrade from"
    local db="dunning_upgrade_$$" old_home="$DUNNING_HOME/upgrade-from"
    local log="$DUNNING_HOME/upgrade.log" old_version; old_version=$(manifest_version "$previous")
    rm -rf "$old_home"; mkdir -p "$old_home/src" "$old_home/addons"
    git -C "$REPO" archive "$previous" | tar -x -C "$old_home/src"
    ln -sfn "$old_home/src" "$old_home/addons/l10n_fr_dunning"
    sed "s|,$ADDONS\$|,$old_home/addons|" "$CONF" > "$old_home/odoo.conf"
    copy_database "$(base_template demo)" "$db"
    say "Install $old_version (commit ${previous:0:10}) with demo data, then upgrade to $current, in $db (log: $log)"
    "$PY" "$ODOO_SRC/setup/odoo" -c "$old_home/odoo.conf" -d "$db" -i l10n_fr_dunning --stop-after-init \
        --log-level=warn >"$log" 2>&1 || { tail -40 "$log"; die "installing l10n_fr_dunning $old_version failed"; }
    # The excluded customers and their reasons, one value per company since 18.0.1.1.0 (a plain column before).
    local excluded_sql="select string_agg(kept, ',' order by id) from (
        select distinct partner.id, partner.id::text || ':' || coalesce(partner.dunning_pause_reason->>excluded.key, '') as kept
          from res_partner partner, jsonb_each_text(partner.dunning_excluded) excluded
         where excluded.value::boolean) as excluded_partners"
    if [ "$(psql -d "$db" -tAc "select data_type from information_schema.columns
            where table_name = 'res_partner' and column_name = 'dunning_excluded'")" = boolean ]; then
        excluded_sql="select string_agg(id::text || ':' || coalesce(dunning_pause_reason, ''), ',' order by id)
            from res_partner where dunning_excluded"
    fi
    local before; before=$(psql -d "$db" -tAc "$excluded_sql")
    [ -n "$before" ] || die "the demo data of $old_version has no excluded customer to carry over"
    odoo -d "$db" -u l10n_fr_dunning --stop-after-init --log-level=warn >>"$log" 2>&1 \
        || { tail -40 "$log"; die "upgrading l10n_fr_dunning from $old_version to $current failed"; }
    local version; version=$(psql -d "$db" -tAc "select latest_version from ir_module_module where name='l10n_fr_dunning' and state='installed'")
    [ "$version" = "$current" ] || die "l10n_fr_dunning is at '$version' after the upgrade, not $current"
    # Now one value per company: each customer excluded before is excluded, with its reason, in its companies.
    local after; after=$(psql -d "$db" -tAc "select string_agg(kept, ',' order by id) from (
        select distinct partner.id, partner.id::text || ':' || coalesce(partner.dunning_pause_reason->>excluded.key, '') as kept
          from res_partner partner, jsonb_each_text(partner.dunning_excluded) excluded
         where excluded.value::boolean) as excluded_partners")
    [ "$before" = "$after" ] || die "the excluded customers and their reasons changed in the upgrade: before $before, after $after"
    # The debtor kinds: every professional of before is a commercial professional (its court stays the same).
    local kinds; kinds=$(psql -d "$db" -tAc "select count(*) from res_partner where dunning_debtor_kind = 'professional'")
    [ "$kinds" = 0 ] || die "$kinds customers kept the old debtor kind 'professional' after the upgrade"
    # The shipped levels got their consumer and public-buyer wordings.
    local wordings; wordings=$(psql -d "$db" -tAc "select count(*) from l10n_fr_dunning_level
        where note_consumer is null or note_public is null")
    [ "$wordings" = 0 ] || die "$wordings dunning levels have no consumer or public-buyer wording after the upgrade"
    # The oldest unpaid due date, filled in SQL by the migration, is set on every posted invoice.
    local due_dates; due_dates=$(psql -d "$db" -tAc "select count(*) from account_move
        where move_type = 'out_invoice' and state = 'posted' and dunning_date_due is null")
    [ "$due_dates" = 0 ] || die "$due_dates posted invoices have no oldest unpaid due date after the upgrade"
    drop_database "$db"; rm -rf "$old_home"
    say "Upgrade from $old_version to $current: ok (excluded customers kept: $after)"
}

# Builds the wheel as OCA publishes add-ons (whool), installs it with --no-deps into a scratch folder as the
# benchmark does for the OCA wheels, and installs the module from there into a scratch database.
check_wheel() {
    local work="$DUNNING_HOME/wheel-check.$$" db="dunning_wheel_$$" log="$DUNNING_HOME/wheel-check.log"
    rm -rf "$work"; mkdir -p "$work/src/l10n_fr_dunning" "$work/dist" "$work/site"
    # whool names the wheel after the addon folder: build from a copy of the tracked files named l10n_fr_dunning.
    (cd "$REPO" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/src/l10n_fr_dunning")
    "$LINT_VENV/bin/pip" wheel -q --no-deps --no-build-isolation -w "$work/dist" "$work/src/l10n_fr_dunning" >"$log" 2>&1 \
        || { tail -20 "$log"; die "building the wheel failed"; }
    local wheel; wheel=$(ls "$work"/dist/odoo_addon_l10n_fr_dunning-18.0.*-py3-none-any.whl 2>/dev/null | head -1)
    [ -n "$wheel" ] || die "pip wheel did not build odoo_addon_l10n_fr_dunning-18.0.*.whl (built: $(ls "$work/dist"))"
    "$PY" -m pip install -q --disable-pip-version-check --no-deps --target "$work/site" "$wheel" >>"$log" 2>&1 \
        || { tail -20 "$log"; die "installing $(basename "$wheel") failed"; }
    [ -f "$work/site/odoo/addons/l10n_fr_dunning/__manifest__.py" ] || die "the wheel holds no odoo/addons/l10n_fr_dunning"
    sed "s|,$ADDONS\$|,$work/site/odoo/addons|" "$CONF" > "$work/odoo.conf"
    copy_database "$(base_template)" "$db"
    "$PY" "$ODOO_SRC/setup/odoo" -c "$work/odoo.conf" -d "$db" -i l10n_fr_dunning --without-demo=all --stop-after-init \
        --log-level=warn >>"$log" 2>&1 || { tail -40 "$log"; die "installing l10n_fr_dunning from the wheel failed"; }
    local path; path=$(echo "import odoo.modules; print(odoo.modules.get_module_path('l10n_fr_dunning'))" \
        | "$PY" "$ODOO_SRC/setup/odoo" shell -c "$work/odoo.conf" -d "$db" --no-http --log-level=warn 2>>"$log" | tail -1)
    [ "$path" = "$work/site/odoo/addons/l10n_fr_dunning" ] || die "Odoo loaded l10n_fr_dunning from '$path', not from the wheel"
    local state; state=$(psql -d "$db" -tAc "select state from ir_module_module where name='l10n_fr_dunning'")
    [ "$state" = installed ] || die "l10n_fr_dunning is '$state' after installing it from the wheel"
    drop_database "$db"; rm -rf "$work"
    say "Wheel: $(basename "$wheel") builds, installs with --no-deps and its module installs"
}

# OCA's linters (.pre-commit-config.yaml) on the whole tree, with the tools of scripts/lint-requirements.txt.
setup_lint() {
    [ -x "$LINT_VENV/bin/python" ] || python3 -m venv "$LINT_VENV"
    local stamp="$LINT_VENV/.requirements.sha"
    if [ "$(sha256sum < "$REPO/scripts/lint-requirements.txt")" != "$(cat "$stamp" 2>/dev/null)" ]; then
        say "Installing the linters into $LINT_VENV"
        "$LINT_VENV/bin/pip" install -q --disable-pip-version-check -r "$REPO/scripts/lint-requirements.txt"
        sha256sum < "$REPO/scripts/lint-requirements.txt" > "$stamp"
    fi
}

run_lint() {
    setup_lint
    say "Running the linters of .pre-commit-config.yaml on every file"
    (cd "$REPO" && PATH="$LINT_VENV/bin:$PATH" PRE_COMMIT_HOME="$DUNNING_HOME/pre-commit" \
        "$LINT_VENV/bin/pre-commit" run --all-files --show-diff-on-failure --color=never) || die "the linters failed (see above)"
}

# Exports the module's terms from a scratch database into i18n/l10n_fr_dunning.pot and merges them into
# i18n/fr.po (scripts/i18n_update.py), then formats both as oca-checks-po wants them.
run_i18n() {
    setup; setup_lint
    local db="dunning_i18n_$$" pot="$DUNNING_HOME/export.pot"
    copy_database "$(base_template)" "$db"
    odoo -d "$db" -i l10n_fr_dunning --without-demo=all --stop-after-init --log-level=warn || die "installing failed"
    odoo -d "$db" --i18n-export="$pot" --modules=l10n_fr_dunning --stop-after-init --log-level=warn || die "export failed"
    drop_database "$db"
    "$PY" "$REPO/scripts/i18n_update.py" "$pot" "$REPO/i18n"
    "$LINT_VENV/bin/oca-checks-po" --fix "$REPO/i18n/fr.po" "$REPO/i18n/l10n_fr_dunning.pot" >/dev/null || true
}

copy_database() {  # copy_database TEMPLATE NEW
    dropdb --if-exists "$2"
    createdb -T "$1" "$2"
    rm -rf "$DUNNING_HOME/data/filestore/$2"
    [ -d "$DUNNING_HOME/data/filestore/$1" ] && cp -r "$DUNNING_HOME/data/filestore/$1" "$DUNNING_HOME/data/filestore/$2"
    return 0
}

run_tests() {
    setup
    # The whole suite (no pytest arguments) also checks install with demo data and uninstall, and the upgrade.
    [ $# -gt 0 ] || { check_install_cycle; check_upgrade; setup_lint; check_wheel; }
    local tmpl db="dunning_test_$$"
    tmpl=$(base_template)
    copy_database "$tmpl" "$db"
    trap "drop_database '$db'" EXIT
    say "Installing l10n_fr_dunning into the throw-away database $db"
    # payment_demo: the demo payment provider pays a reminder through its payment link (tests/test_portal.py).
    odoo -d "$db" -i l10n_fr_dunning,payment_demo --without-demo=all --stop-after-init --log-level=warn \
        || die "installing l10n_fr_dunning failed"
    say "Running the tests with pytest-odoo"
    local rc=0
    (cd "$ADDONS/l10n_fr_dunning" && PYTHONPATH="$REPO/scripts:$PYTHONPATH" "$PY" -m pytest "$ADDONS/l10n_fr_dunning/tests" \
        -p pytest_no_skip --odoo-config="$CONF" --odoo-database="$db" --odoo-http \
        -p no:cacheprovider -ra -q "$@") || rc=$?
    # (scripts/pytest_no_skip.py turns any skip into a failure: a skipped test proves nothing.)
    exit "$rc"
}

run_demo() {
    setup
    say "Creating the demo database $DEMO_DB with the module and its French demo data"
    dropdb --if-exists "$DEMO_DB"
    rm -rf "$DUNNING_HOME/data/filestore/$DEMO_DB"
    odoo -d "$DEMO_DB" -i l10n_fr_account,l10n_fr_dunning --load-language=fr_FR --stop-after-init --log-level=warn \
        || die "creating the demo database failed"
    # The demo speaks French, like its users.
    echo "env.ref('base.user_admin').lang = 'fr_FR'; env.cr.commit()" \
        | "$PY" "$ODOO_SRC/setup/odoo" shell -c "$CONF" -d "$DEMO_DB" --no-http --log-level=warn >/dev/null \
        || die "setting the demo user's language failed"
    say "Serving Odoo on http://localhost:$HTTP_PORT (database $DEMO_DB, login admin / password admin). Ctrl-C stops it."
    exec "$PY" "$ODOO_SRC/setup/odoo" -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --log-level=info
}

# `harness.sh bench [--size N ...]`: the benchmark of bench/run_bench.py (bench_* databases; never part of test).
run_bench() {
    setup
    local tmpl; tmpl=$(base_template)
    BENCH_TEMPLATE=$tmpl DUNNING_HOME=$DUNNING_HOME ODOO_SRC=$ODOO_SRC "$PY" "$REPO/bench/run_bench.py" "$@"
}

case "${1:-}" in
    setup) setup ;;
    test) shift; run_tests "$@" ;;
    demo) run_demo ;;
    bench) shift; run_bench "$@" ;;
    upgrade) setup; check_upgrade ;;
    wheel) setup; setup_lint; check_wheel ;;
    lint) run_lint ;;
    i18n) run_i18n ;;
    *) die "usage: $0 setup|test|demo|bench|upgrade|wheel|lint|i18n" ;;
esac
