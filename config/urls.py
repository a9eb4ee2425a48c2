from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hiring import pages as hiring_pages

admin.site.site_header = "Hirebar"
admin.site.site_title = "Hirebar"
admin.site.index_title = "Recruiting"
# The admin index is the recruiters' dashboard (analytics): openings, forecasts, what is waiting.
admin.site.index_template = "analytics/admin_index.html"

api_v1 = [
    path("", include("hiring.urls")),
    path("", include("sourcing.urls")),
    path("", include("sourcing.github.urls")),
    path("", include("interviews.urls")),
    path("", include("analytics.urls")),
    path("", include("core.urls")),
]

# Browsers ask every site for /favicon.ico; unanswered, each page a person opened logged a 404
# in their console. An "H" on the admin's blue.
_FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<rect width="16" height="16" rx="3" fill="#417690"/>'
    '<path d="M4.5 3.5v9M11.5 3.5v9M4.5 8h7" stroke="#fff" stroke-width="2"/></svg>'
)


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_FAVICON, content_type="image/svg+xml")


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # The admin's "View site" lands here: where recruiters, interviewers and ATS developers go.
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("admin/analytics/", include("analytics.page_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("interviewer/", include("interviews.page_urls")),
    path("take-home/", include("interviews.candidate_urls")),
    path("privacy/object/<str:token>/", hiring_pages.objection, name="privacy-object"),
]

handler404 = "config.api_errors.not_found"
handler500 = "config.api_errors.server_error"
