"""Python side of the ERP adapters (``adapters.sap``); the core never imports anything here.

Parts installed into the ERP itself (ABAP source, Odoo modules) live in the top-level ``adapters/``
folder of the repository, not in this package.
"""
