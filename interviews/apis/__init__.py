"""The interviews API, one module per area; every view reaches data through
``interviews.permissions`` / ``interviews.selectors`` and writes through ``interviews.services``."""
