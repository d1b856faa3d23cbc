"""ERP adapters (Odoo, SAP) live here; the core package never imports them."""
