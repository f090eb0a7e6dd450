from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InventoriesConfig(AppConfig):
    name = "inventories"
    verbose_name = _("POPs inventories")

    def ready(self) -> None:
        from inventories.roles import ensure_inventory_permissions, ensure_reference_after_migrate

        post_migrate.connect(
            ensure_inventory_permissions, dispatch_uid="inventories.ensure_permissions"
        )
        post_migrate.connect(ensure_reference_after_migrate, dispatch_uid="inventories.reference")

        from inventories.deadline_providers import KINDS
        from ncm_portal import deadlines

        for kind in KINDS:
            deadlines.register(kind)

        from inventories import fragments

        fragments.connect()  # schedules, datasets and versions retire the home page's deadlines

        from inventories import permissions
        from ncm_portal import permissions as portal_permissions

        portal_permissions.register("inventories", permissions)

        from ncm_portal import datasets

        # The NIP update's inventory step lists the datasets covering its years.
        datasets.register_covering("inventories.selectors.datasets_covering")

        from ncm_portal import demo

        demo.register("inventories.datasets", 20, "inventories.demo.seed_datasets")
        demo.register("inventories.basel", 25, "inventories.demo.seed_basel_movements")
        demo.register("inventories.customs", 40, "inventories.demo.seed_scaled_customs")
