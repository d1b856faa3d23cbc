"""The HTTP decision service (``flg serve``, extra ``[server]``): the purchase-order hook for ERPs
that cannot import Python.

One module per job: ``settings`` (what can be configured, and how it reaches each worker),
``auth`` (bearer tokens), ``limits`` (body size and nesting), ``request_context`` (request ids in
responses and logs), ``runner`` (the one thread that owns the Guard, time limits, fail-closed
answers), ``redact`` (no internal paths in answers), ``sap_messages`` (BAPIRET2-like messages),
``metrics`` (Prometheus), ``routes/`` (one module per group of endpoints), ``app`` (the FastAPI
application factory) and ``server`` (uvicorn). See ``docs/service.md``.

Only ``settings`` and ``sap_messages`` (whose message numbers the SAP adapter shares) may be
imported without the ``[server]`` extra installed.
"""
