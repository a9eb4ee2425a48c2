"""The hiring REST API (``/api/v1/``), one module per resource. Views parse input, call a service
or a selector, and serialize; rules live in ``hiring.services``, scope in ``hiring.selectors``,
access checks in ``hiring.permissions``."""
