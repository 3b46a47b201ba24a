# The two commands of the README.  Odoo 18 is looked for at $ODOO_SRC (default /opt/odoo18).
.PHONY: demo test setup

demo:
	bash scripts/harness.sh demo

test:
	bash scripts/harness.sh test

setup:
	bash scripts/harness.sh setup
