from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NipLifecycleConfig(AppConfig):
    name = "nip_lifecycle"
    verbose_name = _("NIP review and update")

    def ready(self) -> None:
        # A flush (between transactional tests) empties every table: load the reference again.
        post_migrate.connect(
            ensure_reference_data_after_migrate, dispatch_uid="nip_lifecycle.reference_data"
        )

        from nip_lifecycle import fragments

        fragments.connect()  # cycles and steps retire the calendar's cached month

        from ncm_portal import deadlines
        from nip_lifecycle.deadline_providers import KINDS

        for kind in KINDS:
            deadlines.register(kind)

        from coordination import decisions

        # A ballot or an agenda item of the steering committee may be about a step.
        decisions.register("step", "nip_lifecycle.Step", "cycle__steering_committee")

        from ncm_portal import permissions as portal_permissions
        from nip_lifecycle import permissions

        portal_permissions.register("nip_lifecycle", permissions)

        from ncm_portal import demo

        demo.register("nip_lifecycle.cycles", 50, "nip_lifecycle.demo.seed_cycles")


def ensure_reference_data_after_migrate(sender=None, **kwargs) -> None:
    if sender is not None and sender.name != "nip_lifecycle":
        return
    from nip_lifecycle.reference import ensure_reference_data

    ensure_reference_data()
