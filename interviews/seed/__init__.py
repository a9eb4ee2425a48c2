"""Seed content loaded by the data migration ``0002_seed_kits_and_tasks``: interview kits for the
five role profiles (``kits.py``, ``kit_questions.py``), a take-home template per take-home loop
(``takehomes.py``) and the pair-debugging library (``debugging_tasks.py`` with the programs in
``debugging/<slug>/{buggy,fixed}.py``). Edits after that migration ships go in a new data
migration; recruiters edit the loaded rows in the admin."""
