"""The hiring admin, where recruiters work every day. Registration happens in the modules below;
other apps add to these pages with ``core.admin.extend_admin`` from their own ``admin.py``."""

from hiring.admin import applications, candidates, messages, openings, role_profiles

__all__ = ["applications", "candidates", "messages", "openings", "role_profiles"]
