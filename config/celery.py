import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Apps only call ``.delay()``/``.apply_async()``; without a broker the task class runs them in
# this process (config.inprocess).
app = Celery("hirebar", task_cls="config.inprocess:InProcessTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks beat starts live beside each app's tasks (they call its launch services, which deliver
# to its tasks, so they cannot sit in the same module).
app.autodiscover_tasks(related_name="schedules")
