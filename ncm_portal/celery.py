"""The Celery app. Tasks are discovered in every installed app; the beat schedule lives here."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ncm_portal.settings")

app = Celery("ncm_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The project package is not an installed app; name its tasks module so workers load it.
app.conf.imports = ("ncm_portal.tasks",)


@worker_process_init.connect
def lower_cpu_priority(**_kwargs) -> None:
    """Each worker process runs at a lower CPU priority (NCM_WORKER_NICE, default 10) than the
    web processes, so that ingests and PDF renders take the CPU the pages leave free."""
    from django.conf import settings

    increment = getattr(settings, "NCM_WORKER_NICE", 10)
    if increment > 0 and hasattr(os, "nice"):
        os.nice(increment)


# Every periodic job of the portal, in one place.
app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "ncm_portal.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "send-due-reminders": {
        "task": "coordination.tasks.send_due_reminders",
        "schedule": crontab(minute="*/5"),
    },
    "sweep-ballots": {
        "task": "coordination.tasks.sweep_ballots",
        "schedule": crontab(minute="*"),
    },
    "send-reminder-digests": {
        "task": "coordination.tasks.send_reminder_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "resume-stalled-ingests": {
        "task": "inventories.tasks.resume_stalled_ingests",
        "schedule": crontab(minute="*/5"),
    },
    "sync-focal-point-permissions": {
        "task": "coordination.tasks.sync_focal_point_permissions",
        "schedule": crontab(hour=0, minute=5),
    },
    "plan-obligations": {
        "task": "reporting.tasks.plan_obligations",
        "schedule": crontab(hour=0, minute=35),
    },
}
