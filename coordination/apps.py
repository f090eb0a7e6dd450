from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from coordination.roles import ensure_role_groups

        # Groups need the permissions, which Django creates after migrating.
        post_migrate.connect(ensure_role_groups, dispatch_uid="coordination.ensure_role_groups")
