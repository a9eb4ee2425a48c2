"""The candidate's take-home link, mounted under ``/take-home/`` by ``config.urls``."""

from django.urls import path

from interviews.views import candidate

urlpatterns = [path("<str:token>/", candidate.submit, name="takehome-submit")]
