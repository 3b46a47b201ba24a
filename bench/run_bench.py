"""Benchmark of the daily dunning run, the penalty engine and batch printing, side by side with OCA.

Usage::

    make bench                 # full sweep: 1,000, 5,000, 20,000 and 100,000 invoices
    make bench SIZE=20000      # one size (make cannot take --size)
    bash scripts/harness.sh bench --size 5000
    python bench/run_bench.py --size 1000 --size 5000 [--reps 3] [--no-oca] [--keep]
        (with the harness venv python and PYTHONPATH=$ODOO_SRC; `make bench` sets both up)

For each size N (P = N/5 customers: 80 % companies with a SIRET, 20 % consumers; N posted invoices of one to
three lines with 20 % VAT due over the last 180 days, 20 % paid, 10 % partially paid, 2 % credit notes, 2 %
disputed, 2 % under promise) the dataset is generated once in ``bench_data_<N>``: a handful of template
documents are made with the ORM, then cloned by SQL (INSERT ... SELECT over generate_series) with their lines,
partial and full reconciliations and tax links.  Every measured module then works on its own copy
(``createdb -T``), each measurement in a fresh process (separate peak RSS):

* ours: ``l10n_fr_dunning.run._run_company`` at T0, T0+15 and T0+30 (each batch committed); the email phase
  (``_queue_emails``: templates rendered, mail.mail queued, not sent) is timed apart, the decision phase is the
  rest of the run (selection, levels, penalties, reminders and lines, chatter logs, tasks, commits); the penalty
  computation ``_dunning_amounts`` of every open invoice; 200 mises en demeure rendered into one PDF;
* OCA ``account_credit_control`` 18.0: ``generate_credit_lines()`` at the same three dates (policy 15/30/60
  days: email, email, letter);
* OCA ``account_invoice_overdue_reminder`` 18.0: ``overdue.reminder.start.run()`` at T0.

The OCA modules come from their PyPI wheels, installed with ``pip install --no-deps --target`` into
``~/.cache/l10n_fr_dunning/bench-addons`` and loaded through a bench-only Odoo config: the test venv is not
changed.  Results go to stdout and ``bench/results.md``.  Databases are named ``bench_*`` and dropped at the end
unless ``--keep``.  Invoice PDFs are not attached to the reminder emails (``dunning_attach_invoices`` off):
the bench measures the run, not wkhtmltopdf once per customer.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
HOME = os.environ.get("DUNNING_HOME", os.path.expanduser("~/.cache/l10n_fr_dunning"))
BASE_CONF = os.path.join(HOME, "odoo.conf")
BENCH_CONF = os.path.join(HOME, "bench.conf")
OCA_TARGET = os.path.join(HOME, "bench-addons")
OCA_WHEELS = {
    "account_credit_control": "odoo-addon-account-credit-control==18.0.*",
    "account_invoice_overdue_reminder": "odoo-addon-account-invoice-overdue-reminder==18.0.*",
}
ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo18")
SIZES = [1000, 5000, 20000, 100000]
RUN_OFFSETS = [0, 15, 30]
COMPANY_NAME = "Bench Dunning SAS"
RESULT_TAG = "BENCH_RESULT "
PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench_")  # every database of the bench starts with bench_


def say(*args):
    print("[bench]", *args, file=sys.stderr, flush=True)


def sh(*cmd, check=True, quiet=False):
    out = subprocess.run(cmd, capture_output=quiet, text=True)
    if check and out.returncode:
        if quiet:
            sys.stderr.write((out.stdout or "")[-3000:] + (out.stderr or "")[-3000:])
        raise SystemExit(f"command failed ({out.returncode}): {' '.join(cmd)}")
    return out


# ---- Environment (parent process) ------------------------------------------------------------------------------


def ensure_oca_addons():
    """The two OCA modules, from their 18.0 wheels, into a target folder outside the test venv."""
    addons = os.path.join(OCA_TARGET, "odoo", "addons")
    if all(os.path.isdir(os.path.join(addons, name)) for name in OCA_WHEELS):
        return addons
    say(f"Installing the OCA wheels into {OCA_TARGET} (--no-deps; their manifests depend on core modules only)")
    sh(
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "--no-deps",
        "--target",
        OCA_TARGET,
        *OCA_WHEELS.values(),
    )
    return addons


def write_bench_conf(oca_addons):
    with open(BASE_CONF) as handle:
        lines = handle.read().splitlines()
    out = []
    for line in lines:
        if line.startswith("addons_path") and oca_addons:
            line = f"{line.rstrip()},{oca_addons}"
        if line.startswith("http_port"):
            line = "http_port = 8079"
        out.append(line)
    with open(BENCH_CONF, "w") as handle:
        handle.write("\n".join(out) + "\n")


def odoo_bin(db, *args):
    sh(
        sys.executable,
        os.path.join(ODOO_SRC, "setup", "odoo"),
        "-c",
        BENCH_CONF,
        "-d",
        db,
        "--no-http",
        "--stop-after-init",
        "--log-level=warn",
        *args,
        quiet=True,
    )


def db_exists(name):
    out = sh("psql", "-d", "postgres", "-tAc", f"select 1 from pg_database where datname='{name}'", quiet=True)
    return out.stdout.strip() == "1"


def drop_db(name):
    sh("dropdb", "--force", "--if-exists", name, quiet=True)
    sh("rm", "-rf", os.path.join(HOME, "data", "filestore", name), quiet=True)


def copy_db(template, name):
    drop_db(name)
    sh("createdb", "-T", template, name, quiet=True)


def worker(name, db, **kwargs):
    """Run one measurement in a fresh Python process; returns its JSON result."""
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", name, "--db", db, "--args", json.dumps(kwargs)]
    env = dict(
        os.environ, PYTHONPATH=ODOO_SRC + (":" + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")
    )
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    results = [line[len(RESULT_TAG) :] for line in out.stdout.splitlines() if line.startswith(RESULT_TAG)]
    if out.returncode or not results:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-6000:])
        raise SystemExit(f"worker {name} on {db} failed")
    return json.loads(results[-1])


def make_base(template):
    """bench_base: l10n_fr_dunning installed, and a French company with the French chart of accounts."""
    base = PREFIX + "base"
    drop_db(base)
    if template and db_exists(template):
        say(f"{base} from {template} + l10n_fr_dunning")
        copy_db(template, base)
        odoo_bin(base, "-i", "l10n_fr_dunning", "--without-demo=all")
    else:
        say(f"{base}: fresh install of l10n_fr_account and l10n_fr_dunning (no harness template given)")
        odoo_bin(base, "-i", "l10n_fr_account,l10n_fr_dunning", "--without-demo=all")
    worker("setup_company", base)
    return base


# ---- Workers (child processes) ---------------------------------------------------------------------------------


class Meter:
    """Wall time, SQL queries (Cursor.execute hook) and the process's peak RSS."""

    queries = 0
    by_statement = None  # {first words of the statement: [count, seconds]}, kept under --profile only

    @classmethod
    def install(cls):
        from odoo import sql_db

        execute = sql_db.Cursor.execute

        def counted(self, query, *args, **kwargs):
            cls.queries += 1
            if cls.by_statement is None:
                return execute(self, query, *args, **kwargs)
            start = time.perf_counter()
            try:
                return execute(self, query, *args, **kwargs)
            finally:
                key = " ".join(getattr(query, "code", str(query)).split())[:110]
                entry = cls.by_statement.setdefault(key, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - start

        sql_db.Cursor.execute = counted

    @classmethod
    def slowest(cls, count=12):
        rows = sorted(cls.by_statement.items(), key=lambda item: -item[1][1])[:count]
        return "\n".join(f"{seconds:8.3f} s {calls:6d} x  {key}" for key, (calls, seconds) in rows)

    def __enter__(self):
        self.start, self.start_queries = time.perf_counter(), Meter.queries
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.count = Meter.queries - self.start_queries

    @staticmethod
    def rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_env(db):
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(["-c", BENCH_CONF, "--log-level=warn"])
    Meter.install()
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    env = api.Environment(cr, SUPERUSER_ID, {})
    company = env["res.company"].search([("name", "=", COMPANY_NAME)], limit=1)
    if company:
        env = env(context={"allowed_company_ids": company.ids, "tracking_disable": False})
        company = company.with_env(env)
    return env, company


def w_setup_company(env, company, args):
    fr = env.ref("base.fr")
    company = env["res.company"].create(
        {
            "name": COMPANY_NAME,
            "country_id": fr.id,
            "email": "compta@bench.example",
            "street": "1 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "currency_id": env.ref("base.EUR").id,
        }
    )
    env = env(context={"allowed_company_ids": company.ids})
    env["account.chart.template"].try_loading("fr", company.with_env(env), install_demo=False)
    admin = env.ref("base.user_admin")
    admin.write({"company_ids": [(4, company.id)], "email": "relances@bench.example"})
    company.write({"dunning_attach_invoices": False, "dunning_user_id": admin.id})
    env.cr.commit()
    return {"company": company.id}


def w_generate(env, company, args):  # noqa: C901 (one generator, step by step, kept in reading order)
    from odoo import Command, fields

    cr = env.cr
    n = args["size"]
    p = max(n // 5, 1)
    t0 = fields.Date.to_date(args["t0"])
    start = time.perf_counter()
    fr = env.ref("base.fr")
    tax = company.account_sale_tax_id
    assert abs(tax.amount - 20) < 1e-6, tax.amount
    Partner, Move = env["res.partner"], env["account.move"]
    pro = Partner.create(
        {
            "name": "Client Pro Modèle",
            "is_company": True,
            "email": "pro@client.example",
            "siret": "73282932000074",
            "street": "3 rue des Lilas",
            "zip": "69003",
            "city": "Lyon",
            "country_id": fr.id,
        }
    )
    consumer = Partner.create(
        {
            "name": "Client Particulier Modèle",
            "is_company": False,
            "email": "particulier@client.example",
            "street": "12 avenue Foch",
            "zip": "75016",
            "city": "Paris",
            "country_id": fr.id,
        }
    )
    bank = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
    day = t0 - datetime.timedelta(days=60)

    def invoice(amounts, move_type="out_invoice"):
        move = Move.create(
            {
                "move_type": move_type,
                "partner_id": pro.id,
                "invoice_date": day,
                "invoice_date_due": day + datetime.timedelta(days=30),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Prestation {i + 1}",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for i, amount in enumerate(amounts)
                ],
            }
        )
        move.action_post()
        return move

    def pay(move, amount):
        receivable = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        payment = Move.create(
            {
                "move_type": "entry",
                "journal_id": bank.id,
                "date": day + datetime.timedelta(days=40),
                "line_ids": [
                    Command.create(
                        {
                            "name": "Virement reçu",
                            "account_id": receivable.account_id.id,
                            "partner_id": pro.id,
                            "credit": amount,
                        }
                    ),
                    Command.create(
                        {"name": "Virement reçu", "account_id": bank.default_account_id.id, "debit": amount}
                    ),
                ],
            }
        )
        payment.action_post()
        (receivable | payment.line_ids.filtered(lambda line: line.account_id == receivable.account_id)).reconcile()
        return payment

    # kind: (template moves, share of N); one ORM-made group per kind, cloned by SQL.
    kinds = []
    for amounts, share in (([1200.0], 0.30), ([450.0, 780.0], 0.25), ([99.9, 1500.0, 320.0], 0.15)):
        kinds.append(([invoice(amounts)], share))
    paid = invoice([860.0])
    kinds.append(([paid, pay(paid, paid.amount_total)], 0.20))
    partial = invoice([2000.0, 500.0])
    kinds.append(([partial, pay(partial, 1000.0)], 0.10))
    kinds.append(([invoice([300.0], "out_refund")], 0.02))
    env.flush_all()
    orm_seconds = time.perf_counter() - start

    def ids(query, *params):
        cr.execute(query, params)
        return [row[0] for row in cr.fetchall()]

    def columns(table):
        return ids(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", table
        )

    def max_id(table):
        cr.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
        return cr.fetchone()[0]

    def arr(values):
        return "ARRAY[{}]::int[]".format(",".join(str(int(v)) for v in values)) if values else "ARRAY[]::int[]"

    def clone(table, tmpl_ids, count, maps, overrides, join=""):
        """Copy the rows ``tmpl_ids`` of ``table`` ``count`` times; clone k of template i gets id base+k*L+i."""
        base, length = max_id(table) + 1, len(tmpl_ids)
        maps[table] = (base, length, tmpl_ids)
        cols = columns(table)
        exprs = [overrides.get(col, f"src.{col}") for col in cols]
        exprs[cols.index("id")] = f"{base} + k * {length} + (t.idx - 1)"
        cr.execute(f"""
            INSERT INTO {table} ({", ".join(f'"{col}"' for col in cols)})
            SELECT {", ".join(exprs)}
              FROM unnest({arr(tmpl_ids)}) WITH ORDINALITY t(tid, idx)
              JOIN {table} src ON src.id = t.tid {join}
             CROSS JOIN generate_series(0, {count - 1}) k
        """)
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")

    def mapped(maps, table, expr):
        base, length, tmpl = maps[table]
        return f"COALESCE({base} + k * {length} + array_position({arr(tmpl)}, {expr}) - 1, {expr})"

    # Customers: 80 % companies with a SIRET, 20 % consumers.
    partner_maps = {}
    n_consumers = max(p // 5, 1)
    n_pros = max(p - n_consumers, 1)
    for template, count, label in ((pro, n_pros, "Client SAS"), (consumer, n_consumers, "Client particulier")):
        maps = {}
        clone(
            "res_partner",
            template.ids,
            count,
            maps,
            {
                "name": f"'{label} ' || k",
                "complete_name": f"'{label} ' || k",
                "email": f"'client{template.id}-' || k || '@client.example'",
                "siret": "lpad((732829320 + k)::text, 9, '0') || '00017'" if template == pro else "src.siret",
                "commercial_partner_id": "NULL",
                "dunning_contact_id": "NULL",
            },
        )
        partner_maps[template.id] = maps["res_partner"]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id, dunning_contact_id = id "
        "WHERE commercial_partner_id IS NULL AND id >= %s",
        (min(base for base, _l, _t in partner_maps.values()),),
    )
    cr.execute(
        "CREATE TEMP TABLE bench_customer AS "
        "SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM res_partner WHERE id >= %s",
        (min(base for base, _l, _t in partner_maps.values()),),
    )
    cr.execute("CREATE UNIQUE INDEX ON bench_customer (idx)")
    cr.execute("SELECT count(*) FROM bench_customer")
    n_customers = cr.fetchone()[0]

    # Invoices: g is the global index of a generated invoice; its customer, due date and payment date follow.
    offset, made = 0, 0
    t0s = f"DATE '{t0.isoformat()}'"
    for moves, share in kinds:
        count = max(int(round(n * share)), 1)
        g = f"({offset} + k)"
        due = f"({t0s} - 1 - (({g} * 7919) % 180))"
        inv_date = f"({due} - 30)"
        pay_date = f"LEAST({inv_date} + 20, {t0s} - 1)"
        customer = f"(SELECT id FROM bench_customer WHERE idx = {g} % {n_customers})"
        maps = {}
        template_moves = [move.id for move in moves]
        aml_ids = ids("SELECT id FROM account_move_line WHERE move_id IN %s ORDER BY id", tuple(template_moves))
        partial_ids = ids(
            "SELECT id FROM account_partial_reconcile WHERE debit_move_id IN %s OR credit_move_id IN %s ORDER BY id",
            tuple(aml_ids),
            tuple(aml_ids),
        )
        full_ids = ids(
            "SELECT DISTINCT full_reconcile_id FROM account_move_line WHERE id IN %s "
            "AND full_reconcile_id IS NOT NULL ORDER BY 1",
            tuple(aml_ids),
        )
        is_entry = "src.move_type = 'entry'"
        clone(
            "account_move",
            template_moves,
            count,
            maps,
            {
                "name": f"src.name || '-' || {g}",
                "payment_reference": f"src.name || '-' || {g}",
                "partner_id": customer,
                "commercial_partner_id": customer,
                "partner_shipping_id": f"CASE WHEN {is_entry} THEN NULL ELSE {customer} END",
                "invoice_partner_display_name": "NULL",
                "date": f"CASE WHEN {is_entry} THEN {pay_date} ELSE {inv_date} END",
                "invoice_date": f"CASE WHEN {is_entry} THEN NULL ELSE {inv_date} END",
                "invoice_date_due": f"CASE WHEN {is_entry} THEN NULL ELSE {due} END",
                "dunning_date_due": f"CASE WHEN {is_entry} THEN NULL ELSE {due} END",
                "dunning_stored_on": "NULL",  # a copy's amounts to date are its own: the night's action stores them
                "inalterable_hash": "NULL",
                "secure_sequence_number": "NULL",
                "access_token": "NULL",
                "message_main_attachment_id": "NULL",
            },
        )
        if full_ids:
            clone("account_full_reconcile", full_ids, count, maps, {})
        line_map = {}
        line_map.update(maps)
        base, length, _t = maps["account_move"]
        maps["account_move_line"] = (max_id("account_move_line") + 1, len(aml_ids), aml_ids)
        if partial_ids:
            maps["account_partial_reconcile"] = (max_id("account_partial_reconcile") + 1, len(partial_ids), partial_ids)
        matching = "src.matching_number"
        if partial_ids:
            matching = (
                f"CASE WHEN src.matching_number LIKE 'P%' THEN 'P' || "
                f"{mapped(maps, 'account_partial_reconcile', 'substr(src.matching_number, 2)::int')} "
                f"WHEN src.matching_number ~ '^[0-9]+$' THEN "
                f"({mapped(maps, 'account_full_reconcile', 'src.matching_number::int') if full_ids else 'NULL'})"
                f"::text ELSE src.matching_number END"
            )
        line_is_entry = "srcm.move_type = 'entry'"
        clone(
            "account_move_line",
            aml_ids,
            count,
            maps,
            {
                "move_id": mapped(maps, "account_move", "src.move_id"),
                "move_name": f"srcm.name || '-' || {g}",
                "partner_id": f"CASE WHEN src.partner_id IS NULL THEN NULL ELSE {customer} END",
                "date": f"CASE WHEN {line_is_entry} THEN {pay_date} ELSE {inv_date} END",
                "invoice_date": f"CASE WHEN {line_is_entry} THEN NULL ELSE {inv_date} END",
                "date_maturity": f"CASE WHEN src.date_maturity IS NULL THEN NULL WHEN {line_is_entry} THEN {pay_date} "
                f"ELSE {due} END",
                "full_reconcile_id": mapped(maps, "account_full_reconcile", "src.full_reconcile_id")
                if full_ids
                else "NULL",
                "matching_number": matching,
            },
            join="JOIN account_move srcm ON srcm.id = src.move_id",
        )
        if partial_ids:
            clone(
                "account_partial_reconcile",
                partial_ids,
                count,
                maps,
                {
                    "debit_move_id": mapped(maps, "account_move_line", "src.debit_move_id"),
                    "credit_move_id": mapped(maps, "account_move_line", "src.credit_move_id"),
                    "full_reconcile_id": mapped(maps, "account_full_reconcile", "src.full_reconcile_id")
                    if full_ids
                    else "NULL",
                    "max_date": pay_date,
                    "exchange_move_id": "NULL",
                },
            )
        for rel, col in (
            ("account_move_line_account_tax_rel", "account_move_line_id"),
            ("account_account_tag_account_move_line_rel", "account_move_line_id"),
        ):
            other = [c for c in columns(rel) if c != col]
            cr.execute(f"""
                INSERT INTO {rel} ({col}, {", ".join(other)})
                SELECT {mapped(maps, "account_move_line", f"src.{col}")}, {", ".join(f"src.{c}" for c in other)}
                  FROM {rel} src CROSS JOIN generate_series(0, {count - 1}) k
                 WHERE src.{col} = ANY({arr(aml_ids)})
            """)
        offset += count
        made += count
    cr.execute(
        "UPDATE account_move SET invoice_partner_display_name = partner.name FROM res_partner partner "
        "WHERE partner.id = account_move.partner_id AND account_move.invoice_partner_display_name IS NULL "
        "AND account_move.move_type != 'entry'"
    )
    # A few disputed invoices, a few under a payment promise (kept to T0+20: dunned again at the third run).
    cr.execute(
        "UPDATE account_move SET dunning_disputed = TRUE, dunning_dispute_reason = 'Livraison contestée' "
        "WHERE dunning_active AND id %% 50 = 0 AND company_id = %s",
        (company.id,),
    )
    cr.execute(
        "UPDATE account_move SET dunning_promise_date = %s, dunning_promise_amount = amount_residual "
        "WHERE dunning_active AND id %% 50 = 1 AND company_id = %s",
        (t0 + datetime.timedelta(days=20), company.id),
    )
    cr.execute("ANALYZE")
    env.invalidate_all()
    # Stored computes that depend on the dates changed by SQL: recomputed by the ORM, in batches.
    move_ids = ids("SELECT id FROM account_move WHERE company_id = %s AND move_type != 'entry'", company.id)
    field = Move._fields["dunning_next_date"]
    for i in range(0, len(move_ids), 5000):
        batch = Move.browse(move_ids[i : i + 5000])
        env.add_to_compute(field, batch)
        batch._recompute_field(field)
        env.flush_all()
        env.invalidate_all()
    cr.execute("ANALYZE")
    cr.commit()
    cr.execute(
        "SELECT count(*) FILTER (WHERE move_type = 'out_invoice'), count(*) FILTER (WHERE move_type = 'out_refund'),"
        " count(*) FILTER (WHERE dunning_active), count(*) FILTER (WHERE payment_state = 'paid'),"
        " count(*) FILTER (WHERE payment_state = 'partial') FROM account_move WHERE company_id = %s",
        (company.id,),
    )
    invoices, refunds, active, paid_count, partial_count = cr.fetchone()
    return {
        "seconds": time.perf_counter() - start,
        "orm_seconds": orm_seconds,
        "invoices": invoices,
        "refunds": refunds,
        "active": active,
        "paid": paid_count,
        "partial": partial_count,
        "customers": n_customers,
        "template_ids": [moves[0].id for moves, _s in kinds],
    }


def w_verify(env, company, args):
    """An SQL-made invoice reads, through the ORM, exactly as the ORM-made template it was cloned from."""
    problems = []
    Move = env["account.move"]
    t0 = datetime.date.fromisoformat(args["t0"])
    for template in Move.browse(args["template_ids"]):
        clone = Move.search([("name", "=like", template.name + "-%")], limit=1, order="id")
        if not clone:
            problems.append(f"no clone of {template.name}")
            continue
        for name in (
            "move_type",
            "state",
            "payment_state",
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "amount_residual",
            "amount_total_signed",
            "amount_residual_signed",
            "dunning_active",
            "company_id",
            "journal_id",
            "currency_id",
        ):
            if template[name] != clone[name]:
                problems.append(f"{clone.name}.{name}: {clone[name]!r} != {template[name]!r}")
        if (
            clone.commercial_partner_id == template.commercial_partner_id
            or clone.partner_id != clone.commercial_partner_id
        ):
            problems.append(f"{clone.name}: customer not set")
        term = clone.line_ids.filtered(lambda line: line.display_type == "payment_term")
        if (
            len(term) != 1
            or term.account_id.account_type != "asset_receivable"
            or term.date_maturity != clone.invoice_date_due
        ):
            problems.append(f"{clone.name}: receivable line wrong")
        for tl, cl in zip(template.line_ids.sorted("id"), clone.line_ids.sorted("id"), strict=False):
            for name in (
                "account_id",
                "debit",
                "credit",
                "balance",
                "amount_residual",
                "reconciled",
                "tax_ids",
                "tax_line_id",
                "display_type",
                "tax_tag_ids",
                "parent_state",
            ):
                if tl[name] != cl[name]:
                    problems.append(f"{clone.name} line {cl.id}.{name}: {cl[name]!r} != {tl[name]!r}")
        if template.move_type == "out_invoice":
            mine = clone._dunning_amounts(t0)[clone.id]
            if clone.dunning_active and not mine[0] > 0:
                problems.append(f"{clone.name}: no penalty {mine}")
        if template.payment_state == "partial":
            if abs(clone._dunning_payments()[clone.id][0][1] - template._dunning_payments()[template.id][0][1]) > 0.001:
                problems.append(f"{clone.name}: partial payment not seen")
        clone.line_ids._check_constrains_account_id_journal_id() if hasattr(
            clone.line_ids, "_check_constrains_account_id_journal_id"
        ) else None
        clone.line_ids._constrains_matching_number()
        clone._check_balanced({"records": clone})
    return {"problems": problems}


def analyze(env):
    """Fresh planner statistics before a measured run, on both sides: what autovacuum does in production
    between two daily runs (the bulk inserts of the previous run would otherwise be planned without them)."""
    env.cr.commit()
    env.cr.execute("ANALYZE")
    env.cr.commit()


def _time_phases(env):
    """Meter the email phase (``_queue_emails``: templates rendered, mail.mail queued) in this process; the
    decision phase is the rest of the run (selection, levels, penalties, reminders, chatter logs, commits)."""
    totals = {"emails_s": 0.0, "emails_q": 0}
    rem_cls = type(env["l10n_fr_dunning.reminder"])
    queue = rem_cls._queue_emails

    def timed_queue(self, *args, **kwargs):
        with Meter() as meter:
            result = queue(self, *args, **kwargs)
        totals["emails_s"] += meter.seconds
        totals["emails_q"] += meter.count
        return result

    rem_cls._queue_emails = timed_queue
    return totals


def w_ours_run(env, company, args):
    day = datetime.date.fromisoformat(args["date"])
    if args.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
    totals = _time_phases(env)
    analyze(env)
    if args.get("profile"):
        Meter.by_statement = {}
    with Meter() as meter:
        if args.get("profile"):
            profiler.enable()
        reminders = env["l10n_fr_dunning.run"].with_company(company)._run_company(company, day)
        if args.get("profile"):
            profiler.disable()
        env.cr.commit()
    result = {
        "seconds": meter.seconds,
        "queries": meter.count,
        "rss_mb": Meter.rss_mb(),
        "reminders": len(reminders),
        "mails": env["mail.mail"].search_count([("model", "=", "l10n_fr_dunning.reminder")]),
        **totals,
        "decide_s": meter.seconds - totals["emails_s"],
    }
    if args.get("profile"):
        import io
        import pstats

        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        stream.write("Slowest SQL statements (total time, calls, statement start):\n" + Meter.slowest() + "\n")
        result["profile"] = stream.getvalue()
    return result


def w_ours_penalties(env, company, args):
    day = datetime.date.fromisoformat(args["date"])
    moves = env["account.move"].search([("company_id", "=", company.id), ("dunning_active", "=", True)])
    analyze(env)
    env.invalidate_all()
    with Meter() as meter:
        amounts = moves._dunning_amounts(day)
    return {
        "seconds": meter.seconds,
        "queries": meter.count,
        "rss_mb": Meter.rss_mb(),
        "invoices": len(amounts),
        "errors": sum(1 for value in amounts.values() if value[2]),
    }


def w_ours_pdf(env, company, args):
    """200 mises en demeure into one PDF (reminders created at the formal-notice level for 200 customers)."""
    report = env.ref("l10n_fr_dunning.action_report_formal_notice", raise_if_not_found=False)
    if not report:
        return {"missing": True}
    day = datetime.date.fromisoformat(args["date"])
    policy = env["l10n_fr_dunning.policy"].search([("company_id", "=", company.id), ("is_default", "=", True)])
    level = env["l10n_fr_dunning.level"]._ladder(policy).filtered("is_formal_notice")[:1]
    env.cr.execute(
        "SELECT commercial_partner_id, array_agg(id) FROM account_move WHERE company_id = %s "
        "AND dunning_active GROUP BY 1 ORDER BY 1 LIMIT 200",
        (company.id,),
    )
    rows = env.cr.fetchall()
    values = []
    for partner_id, move_ids in rows:
        moves = env["account.move"].browse(move_ids)
        values.append(
            {
                "partner_id": partner_id,
                "contact_id": partner_id,
                "company_id": company.id,
                "level_id": level.id,
                "date": day + datetime.timedelta(days=1),
                "state": "to_send",
                "line_ids": moves._dunning_reminder_line_commands(moves._dunning_amounts(day), day),
            }
        )
    reminders = env["l10n_fr_dunning.reminder"].create(values)
    env.flush_all()
    env.cr.commit()
    env.invalidate_all()
    result = {"letters": len(reminders)}
    # The print path of the module (print wizard): letters rendered in one wkhtmltopdf run, kept per reminder,
    # merged into one PDF.
    from odoo.tools.pdf import merge_pdf

    env.invalidate_all()
    with Meter() as meter:
        reminders._render_letters()
        content = merge_pdf([reminder.letter_attachment_id.raw for reminder in reminders])
    env.cr.rollback()
    result.update(
        {
            "seconds": meter.seconds,
            "queries": meter.count,
            "rss_mb": Meter.rss_mb(),
            "bytes": len(content),
            "pages": content.count(b"/Type /Page") - content.count(b"/Type /Pages"),
        }
    )
    return result


def w_cc_setup(env, company, args):
    receivable = env["account.account"].search(
        [("company_ids", "in", company.id), ("account_type", "=", "asset_receivable")]
    )
    template = env.ref("account_credit_control.email_template_credit_control_base")
    levels = [(1, 15, "email"), (2, 30, "email"), (3, 60, "letter")]
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench 15/30/60",
            "company_id": company.id,
            "account_ids": [(6, 0, receivable.ids)],
            "level_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"Niveau {level}",
                        "level": level,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "channel": channel,
                        "email_template_id": template.id,
                        "custom_text": "Merci de régler les factures ci-dessous.",
                        "custom_mail_text": "<p>Merci de régler les factures ci-dessous.</p>",
                    },
                )
                for level, days, channel in levels
            ],
        }
    )
    company.credit_policy_id = policy
    env.cr.commit()
    return {"policy": policy.id}


def w_cc_run(env, company, args):
    day = datetime.date.fromisoformat(args["date"])
    policy = company.credit_policy_id
    analyze(env)
    with Meter() as meter:
        run = (
            env["credit.control.run"]
            .with_company(company)
            .create({"date": day, "company_id": company.id, "policy_ids": [(6, 0, policy.ids)]})
        )
        run.generate_credit_lines()
        env.cr.commit()
    return {"seconds": meter.seconds, "queries": meter.count, "rss_mb": Meter.rss_mb(), "lines": len(run.line_ids)}


def w_oor_run(env, company, args):
    analyze(env)
    with Meter() as meter:
        wizard = env["overdue.reminder.start"].with_company(company).create({"company_id": company.id})
        wizard.run()
        env.cr.commit()
    steps = env["overdue.reminder.step"].search_count([("company_id", "=", company.id)])
    return {"seconds": meter.seconds, "queries": meter.count, "rss_mb": Meter.rss_mb(), "steps": steps}


def _specification(env, model, view_ref, view_type):
    """The ``specification`` the web client sends for a view: its top-level fields, many2one as display_name."""
    from lxml import etree

    view = env.ref(view_ref) if view_ref else None
    views = env[model].get_views([(view.id if view else False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    fields = views["models"][model]["fields"]
    names = {
        node.get("name")
        for node in arch.iter("field")
        if node.get("name") in fields
        and not any(parent.tag in ("list", "kanban", "form") for parent in list(node.iterancestors())[:-1])
    }
    return {
        name: (
            {"fields": {"display_name": {}}} if fields[name]["type"] in ("many2one", "one2many", "many2many") else {}
        )
        for name in names
    }, {name: fields[name] for name in names}


def _median_call(env, call, repeat=5):
    """Median wall time of ``call`` after a warm-up call (a manager reopens a screen on a warm server: the registry
    and PostgreSQL's buffers are warm, the ORM cache of a new request is empty)."""
    call()
    timings = []
    for _i in range(repeat):
        env.invalidate_all()
        with Meter() as meter:
            call()
        timings.append((meter.seconds, meter.count))
    seconds = statistics.median(timing[0] for timing in timings)
    return {"seconds": seconds, "queries": int(statistics.median(timing[1] for timing in timings))}


def w_screens(env, company, args):
    """The dunning screens a manager opens every day, through the web calls the browser makes, beside Odoo's own
    overdue customer-invoice list on the same data (first page of 80, as the web client loads it)."""
    analyze(env)
    moves = env["account.move"].with_company(company)
    dunning_action = env.ref("l10n_fr_dunning.action_move_dunning")
    domain = [("company_id", "=", company.id)] + eval(dunning_action.domain)
    spec, fields = _specification(env, "account.move", "l10n_fr_dunning.move_dunning_view_list", "list")
    sums = [
        f"{name}:sum"
        for name, field in fields.items()
        if field["type"] in ("monetary", "float") and field.get("aggregator") == "sum"
    ]
    ageing = [name for name in ("dunning_ageing", "dunning_ageing_bucket") if name in moves._fields][:1]
    today = datetime.date.fromisoformat(args["date"])
    odoo_domain = [
        ("company_id", "=", company.id),
        ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"),
        ("payment_state", "in", ("not_paid", "partial")),
        ("invoice_date_due", "<", today.isoformat()),
    ]
    odoo_spec, _odoo_fields = _specification(env, "account.move", "account.view_out_invoice_tree", "list")
    env.cr.execute(
        "SELECT commercial_partner_id FROM account_move WHERE company_id = %s AND dunning_active "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        (company.id,),
    )
    partner = env["res.partner"].browse(env.cr.fetchone()[0])
    form_spec, _form_fields = _specification(env, "res.partner", None, "form")
    screens = {
        "dunning_list": lambda: moves.web_search_read(domain, spec, limit=80, order=""),
        "dunning_by_level": lambda: moves.web_read_group(domain, sums + ["__count"], ["dunning_level_id"]),
        "dunning_pivot": lambda: moves.read_group(domain, sums, ["dunning_level_id"] + ageing, lazy=False),
        "customer_form": lambda: partner.web_read(form_spec),
        "odoo_overdue_list": lambda: moves.web_search_read(odoo_domain, odoo_spec, limit=80, order=""),
        "odoo_overdue_by_customer": lambda: moves.web_read_group(
            odoo_domain, ["amount_residual_signed:sum", "__count"], ["partner_id"]
        ),
    }
    result = {}
    # A new day before the night's scheduled action: every group total computes its invoices' amounts to date.
    env.invalidate_all()
    with Meter() as meter:
        screens["dunning_by_level"]()
    result["by_level_before_refresh"] = {"seconds": meter.seconds, "queries": meter.count}
    with Meter() as meter:
        moves._cron_refresh_dunning_amounts()
    result["night_refresh"] = {"seconds": meter.seconds, "queries": meter.count}
    analyze(env)
    result.update({name: _median_call(env, call) for name, call in screens.items()})
    result["ageing_field"] = ageing[0] if ageing else None
    return result


WORKERS = {name[2:]: func for name, func in globals().items() if name.startswith("w_")}


def run_worker(name, db, args):
    env, company = open_env(db)
    try:
        result = WORKERS[name](env, company, args)
    finally:
        env.cr.close()
    print(RESULT_TAG + json.dumps(result, default=str), flush=True)


# ---- Sweep ------------------------------------------------------------------------------------------------------


def pdf_with_server(db, day):
    """Letters need the web assets: an Odoo server on a bench port (never 8069) serves them to wkhtmltopdf."""
    import socket

    port = 8079
    sh(
        "psql",
        "-d",
        db,
        "-qc",
        "INSERT INTO ir_config_parameter (key, value) VALUES ('report.url', "
        f"'http://127.0.0.1:{port}') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        quiet=True,
    )
    env = dict(os.environ, PYTHONPATH=ODOO_SRC)
    server = subprocess.Popen(
        [
            sys.executable,
            os.path.join(ODOO_SRC, "setup", "odoo"),
            "-c",
            BENCH_CONF,
            "-d",
            db,
            "--http-port",
            str(port),
            "--http-interface",
            "127.0.0.1",
            "--db-filter",
            f"^{db}$",
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _i in range(60):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        return worker("ours_pdf", db, date=day.isoformat())
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def median(values):
    return statistics.median(values) if values else None


def measure_size(size, base, t0, reps, with_oca, oca_addons, profile, with_pdf=True):
    data = f"{PREFIX}data_{size}"
    copy_db(base, data)
    say(f"N={size}: generating the dataset in {data}")
    gen = worker("generate", data, size=size, t0=t0.isoformat())
    say(
        f"N={size}: generated {gen['invoices']} invoices, {gen['refunds']} credit notes, {gen['customers']} customers "
        f"({gen['active']} open, {gen['paid']} paid, {gen['partial']} partial) in {gen['seconds']:.1f} s "
        f"(ORM templates {gen['orm_seconds']:.1f} s)"
    )
    if size <= 5000:
        check = worker("verify", data, template_ids=gen["template_ids"], t0=t0.isoformat())
        if check["problems"]:
            raise SystemExit("SQL-made invoices differ from ORM-made ones:\n" + "\n".join(check["problems"]))
        say(f"N={size}: SQL-made invoices read like ORM-made ones (checked one per kind)")
    dates = [t0 + datetime.timedelta(days=offset) for offset in RUN_OFFSETS]
    samples = {"ours": [[] for _d in dates], "cc": [[] for _d in dates], "oor": [], "pen": [], "pdf": [], "screens": []}
    profile_text = None
    for rep in range(reps):
        db = f"{PREFIX}ours_{size}"
        copy_db(data, db)
        for index, day in enumerate(dates):
            want_profile = profile and rep == 0 and index == int(os.environ.get("BENCH_PROFILE_RUN", 0))
            res = worker("ours_run", db, date=day.isoformat(), profile=want_profile)
            profile_text = res.pop("profile", profile_text)
            samples["ours"][index].append(res)
            say(
                f"N={size} rep {rep + 1} ours run {index + 1}: {res['seconds']:.2f} s "
                f"(decide {res['decide_s']:.2f} s, emails {res['emails_s']:.2f} s), {res['queries']} queries, "
                f"{res['reminders']} reminders, {res['rss_mb']:.0f} MB"
            )
        samples["pen"].append(worker("ours_penalties", db, date=dates[-1].isoformat()))
        if rep == 0 and (
            size >= 20000 or os.environ.get("BENCH_SCREENS")
        ):  # the screens a manager opens, after the third run (reminders at each level)
            samples["screens"].append(worker("screens", db, date=dates[-1].isoformat()))
            say(
                f"N={size} screens: "
                + ", ".join(
                    f"{name} {value['seconds'] * 1000:.0f} ms"
                    for name, value in samples["screens"][-1].items()
                    if name != "ageing_field"
                )
            )
        if rep == 0 and with_pdf:  # 200 letters whatever N: measured at the first size of the invocation only
            samples["pdf"].append(pdf_with_server(db, dates[-1]))
            say(f"N={size} pdf: {samples['pdf'][-1]}")
        drop_db(db)
        if with_oca:
            db = f"{PREFIX}cc_{size}"
            copy_db(data, db)
            odoo_bin(db, "-i", "account_credit_control")
            worker("cc_setup", db)
            for index, day in enumerate(dates):
                res = worker("cc_run", db, date=day.isoformat())
                samples["cc"][index].append(res)
                say(
                    f"N={size} rep {rep + 1} OCA credit control run {index + 1}: {res['seconds']:.2f} s, "
                    f"{res['queries']} queries, {res['lines']} lines, {res['rss_mb']:.0f} MB"
                )
            drop_db(db)
            db = f"{PREFIX}oor_{size}"
            copy_db(data, db)
            odoo_bin(db, "-i", "account_invoice_overdue_reminder")
            res = worker("oor_run", db)
            samples["oor"].append(res)
            say(
                f"N={size} rep {rep + 1} OCA overdue reminder: {res['seconds']:.2f} s, {res['queries']} queries, "
                f"{res['steps']} steps, {res['rss_mb']:.0f} MB"
            )
            drop_db(db)
    return {"size": size, "gen": gen, "samples": samples, "profile": profile_text}


def agg(runs, key):
    return median([run[key] for run in runs])


def render(results, reps_by_size, machine):
    out = []
    out.append("# l10n_fr_dunning benchmark\n")
    out.append(f"{machine}\n")
    reps_text = ", ".join(f"{reps} run(s) at N={size}" for size, reps in reps_by_size)
    out.append(
        f"Medians of {reps_text}. Times in seconds; queries counted on `Cursor.execute`; RSS = peak of the "
        "measuring process. `ANALYZE` before every measured run on both sides (what autovacuum does between "
        "two daily runs). Ours: T0, T0+15, T0+30, each batch committed; emails queued as mail.mail (not "
        "sent), invoice PDFs not attached.\n"
    )
    out.append("## Dataset generation\n")
    out.append("| N | customers | open | paid | partial | credit notes | generation (s) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    for res in results:
        gen = res["gen"]
        out.append(
            f"| {res['size']:,} | {gen['customers']:,} | {gen['active']:,} | {gen['paid']:,} | "
            f"{gen['partial']:,} | {gen['refunds']:,} | {gen['seconds']:.1f} |"
        )
    out.append("\n## Daily run, side by side\n")
    out.append(
        "| N | run | ours total (s) | decision (s) | emails (s) | reminders | queries | queries / 1k inv. "
        "| ms / inv. | RSS (MB) | OCA credit control (s) | queries | RSS (MB) | ratio CC / ours "
        "| ratio CC / our decision | OCA overdue reminder (s) | queries | RSS (MB) | ratio OR / ours |"
    )
    out.append("|---:|---:|" + "---:|" * 17)
    for res in results:
        size, smp = res["size"], res["samples"]
        for index, runs in enumerate(smp["ours"]):
            total, decide, disp = agg(runs, "seconds"), agg(runs, "decide_s"), agg(runs, "emails_s")
            queries, rss = agg(runs, "queries"), max(run["rss_mb"] for run in runs)
            row = [
                f"{size:,}",
                f"{index + 1} (T0+{RUN_OFFSETS[index]})",
                f"{total:.2f}",
                f"{decide:.2f}",
                f"{disp:.2f}",
                f"{agg(runs, 'reminders'):.0f}",
                f"{queries:,.0f}",
                f"{queries / size * 1000:,.0f}",
                f"{total / size * 1000:.2f}",
                f"{rss:.0f}",
            ]
            cc = smp["cc"][index]
            if cc:
                cc_s = agg(cc, "seconds")
                row += [
                    f"{cc_s:.2f}",
                    f"{agg(cc, 'queries'):,.0f}",
                    f"{max(r['rss_mb'] for r in cc):.0f}",
                    f"{cc_s / total:.2f}",
                    f"{cc_s / decide:.1f}" if decide else "–",
                ]
            else:
                row += ["–"] * 5
            if smp["oor"] and index == 0:
                oor_s = agg(smp["oor"], "seconds")
                row += [
                    f"{oor_s:.2f}",
                    f"{agg(smp['oor'], 'queries'):,.0f}",
                    f"{max(r['rss_mb'] for r in smp['oor']):.0f}",
                    f"{oor_s / total:.2f}",
                ]
            else:
                row += ["–"] * 4
            out.append("| " + " | ".join(row) + " |")
    out.append("\n## Penalties and letters\n")
    out.append(
        "| N | `_dunning_amounts` on open invoices (s) | invoices | queries | RSS (MB) "
        "| 200 mises en demeure in one PDF (`_render_letters` + merge, s) | pages | RSS (MB) |"
    )
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for res in results:
        pen, pdf = res["samples"]["pen"], res["samples"]["pdf"]
        pdf_cells = ["n/a (report missing)" if pdf else "(measured at the first size)", "–", "–"]
        if pdf and not pdf[0].get("missing"):
            pdf_cells = [f"{pdf[0]['seconds']:.1f}", str(pdf[0]["pages"]), f"{pdf[0]['rss_mb']:.0f}"]
        out.append(
            f"| {res['size']:,} | {agg(pen, 'seconds'):.2f} | {pen[0]['invoices']:,} | "
            f"{agg(pen, 'queries'):,.0f} | {max(r['rss_mb'] for r in pen):.0f} | " + " | ".join(pdf_cells) + " |"
        )
    screens = [res for res in results if res["samples"]["screens"]]
    if screens:
        out.append("\n## Screens a manager opens (web calls of the browser; median of 5 after a warm-up, ms)\n")
        out.append(
            "| N | Dunning list, first page | grouped by level with totals | pivot level × ageing "
            "| customer form | Odoo's overdue invoices, first page | ratio list / Odoo's "
            "| Odoo's overdue grouped by customer | ratio grouped / Odoo's "
            "| grouped, before the night's refresh | night's refresh of the amounts to date (s) |"
        )
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for res in screens:
            scr = res["samples"]["screens"][0]
            ms = {name: value["seconds"] * 1000 for name, value in scr.items() if name != "ageing_field"}
            out.append(
                f"| {res['size']:,} | {ms['dunning_list']:.0f} | {ms['dunning_by_level']:.0f} | "
                f"{ms['dunning_pivot']:.0f}{'' if scr['ageing_field'] else ' (no ageing field)'} | "
                f"{ms['customer_form']:.0f} | {ms['odoo_overdue_list']:.0f} | "
                f"{ms['dunning_list'] / ms['odoo_overdue_list']:.2f} | {ms['odoo_overdue_by_customer']:.0f} | "
                f"{ms['dunning_by_level'] / ms['odoo_overdue_by_customer']:.2f} | "
                f"{ms.get('by_level_before_refresh', float('nan')):.0f} | "
                f"{ms.get('night_refresh', float('nan')) / 1000:.1f} |"
            )
    return "\n".join(out) + "\n"


def machine_line():
    import odoo.release

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = sh("psql", "-d", "postgres", "-tAc", "show server_version", quiet=True).stdout.strip()
    return (
        f"Machine: {os.cpu_count()} cores, {mem:.1f} GiB RAM, {platform.platform()}, Python "
        f"{platform.python_version()}, PostgreSQL {pg}; Odoo {odoo.release.version}; "
        f"date {datetime.datetime.now():%Y-%m-%d %H:%M}."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, action="append", help="N invoices (repeatable); default: full sweep")
    parser.add_argument("--reps", type=int, help="repetitions (default 3 up to 20,000 invoices, else 1)")
    parser.add_argument("--template", help="harness template database (account + l10n_fr_account)")
    parser.add_argument("--no-oca", action="store_true", help="measure l10n_fr_dunning only")
    parser.add_argument("--profile", action="store_true", help="cProfile the first run of each size")
    parser.add_argument("--keep", action="store_true", help="keep the bench_* databases")
    parser.add_argument("--no-pdf", action="store_true", help="skip the 200 mises en demeure")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--args", default="{}", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.worker:
        return run_worker(opts.worker, opts.db, json.loads(opts.args))
    sizes = opts.size or SIZES
    oca_addons = None if opts.no_oca else ensure_oca_addons()
    write_bench_conf(oca_addons)
    start = time.perf_counter()
    base = make_base(opts.template or os.environ.get("BENCH_TEMPLATE"))
    t0 = datetime.date.today()
    machine = machine_line()
    results, reps_by_size = [], []
    for size in sizes:
        reps = opts.reps or (3 if size <= 20000 else 1)
        reps_by_size.append((size, reps))
        res = measure_size(
            size, base, t0, reps, not opts.no_oca, oca_addons, opts.profile, with_pdf=not results and not opts.no_pdf
        )
        results.append(res)
        if not opts.keep:
            drop_db(f"{PREFIX}data_{size}")
        if res["profile"]:
            say(f"cProfile of our first run at N={size}:\n{res['profile']}")
        table = render(results, reps_by_size, machine)
        with open(os.path.join(HERE, "results.md"), "w") as handle:
            handle.write(table)
    if not opts.keep:
        drop_db(base)
    print(table)
    say(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
