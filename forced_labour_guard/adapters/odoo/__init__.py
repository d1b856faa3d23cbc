"""The Python side of the Odoo adapter.

* :mod:`.client`: JSON-2 (Odoo 19+) and JSON-RPC (Odoo 16-18) calls, typed errors (:mod:`.errors`);
* :mod:`.fields` and :mod:`.mapping`: the one mapping from Odoo record dictionaries to the canonical
  model, with field names taken from ``fields_get``;
* :mod:`.reader`, :mod:`.writeback`, :mod:`.batch`: screening a database from outside
  (``flg odoo screen-vendors`` / ``flg odoo check-pos``);
* :mod:`.addon`: what the Odoo module ``purchase_forced_labour_guard`` calls from inside Odoo.

See ``docs/odoo.md``.
"""
