"""The interviewer's pages, mounted under ``/interviewer/`` by ``config.urls``. Names match the
LOGIN_URL / LOGIN_REDIRECT_URL / LOGOUT_REDIRECT_URL settings."""

from django.contrib.auth import views as auth_views
from django.urls import path

from interviews.views import debugging, grading, interviewer

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="interviews/login.html", redirect_authenticated_user=True
        ),
        name="interviewer-login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="interviewer-logout"),
    path("", interviewer.home, name="interviewer-home"),
    path("interviews/<int:pk>/", interviewer.interview_detail, name="interviewer-interview"),
    path("interviews/<int:pk>/debugging/", debugging.record, name="interviewer-debugging"),
    path("applications/<int:pk>/verdict/", interviewer.verdict_page, name="interviewer-verdict"),
    path("take-homes/<int:pk>/", grading.grade, name="interviewer-grade"),
    path("take-homes/<int:pk>/file/", grading.grade_file, name="interviewer-grade-file"),
]
