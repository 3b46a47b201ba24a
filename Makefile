# The two commands of the README.  Odoo 18 is looked for at $ODOO_SRC (default /opt/odoo18).
.PHONY: demo test setup bench

demo:
	bash scripts/harness.sh demo

test:
	bash scripts/harness.sh test

setup:
	bash scripts/harness.sh setup

# Benchmark (not part of test): `make bench` runs the full sweep, `make bench SIZE=20000` one size.
bench:
	bash scripts/harness.sh bench $(if $(SIZE),--size $(SIZE))
