"""Admin bases every app uses: read-only pages for service-written records, and extending
another app's admin pages."""

from core.admin.events import history_html
from core.admin.extend import extend_admin
from core.admin.readonly import ReadOnlyModelAdmin

__all__ = ["ReadOnlyModelAdmin", "extend_admin", "history_html"]
