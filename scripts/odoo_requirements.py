"""Print the Python requirements of an Odoo 18 tree, resolved for this interpreter.

Odoo pins older versions for Python < 3.12 that no longer build; its
Python >= 3.12 pins install on 3.11 as well.  So each requirement line is
evaluated as if on Python 3.12, ``psycopg2`` becomes ``psycopg2-binary`` and
``python-ldap`` (a C build that needs OpenLDAP headers) is left out.
"""

import sys

try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
except ImportError:  # pip always vendors packaging
    from pip._vendor.packaging.markers import Marker
    from pip._vendor.packaging.requirements import Requirement

MARKER_ENV = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux"}
RENAMED = {"psycopg2": "psycopg2-binary"}
LEFT_OUT = {"python-ldap"}


def resolved_requirements(path):
    for raw in open(path, encoding="utf-8"):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if req.marker and not Marker(str(req.marker)).evaluate(MARKER_ENV):
            continue
        name = req.name.lower()
        if name in LEFT_OUT:
            continue
        yield f"{RENAMED.get(name, req.name)}{req.specifier}"


if __name__ == "__main__":
    print("\n".join(resolved_requirements(sys.argv[1])))
