"""Writes of the interview modules, one module per area: ``interviews`` (scheduling),
``scorecards``, ``takehomes`` and ``debugging``. The admin, the API, the pages and the commands
call these, so each rule is enforced once. Input the caller can fix raises Django's
``ValidationError`` with field errors and leaves the database untouched."""
