"""``Idempotency-Key`` for every POST of the API (``/api/``), whichever app serves it.

A client that retries a POST (a timeout, a dropped connection) sends the same key again and gets
the first answer back instead of a second take-home, a second run or a transition refused as
"cannot move". One middleware (``middleware.py``) does it for every view, so no view can forget
it; the rules (what is a replay, a conflict, a mismatch) live in ``services.py``, the stored keys
in ``models.py`` and the header's vocabulary, shared with the OpenAPI schema, in ``header.py``.
docs/api.md ("Idempotency") is the client's side of the contract."""
