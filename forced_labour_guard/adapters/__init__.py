"""The Python side of the ERP adapters (``adapters.odoo``, later ``adapters.sap``).

Adapters depend on the core; the core never imports them. The parts that are installed into an ERP
rather than into Python (the Odoo module, ABAP source) live in the repository's top-level
``adapters/`` folder and are not part of this package.
"""
