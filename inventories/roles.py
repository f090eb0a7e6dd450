"""What each role may do with inventories, added to the role groups after every migrate."""

from django.contrib.auth.models import Group, Permission

from coordination.models import ROLE_GROUPS, Role

REFERENCE = ["nationalproductcode", "emissionfactor", "submissionschedule"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        "review_dataset",
        *(f"{verb}_{m}" for m in REFERENCE for verb in ("add", "change", "view")),
    ],
    Role.SECRETARIAT: [
        "review_dataset",
        *(f"{verb}_{m}" for m in REFERENCE for verb in ("add", "change", "view")),
    ],
}


def ensure_inventory_permissions(sender=None, **kwargs) -> None:
    if sender is not None and sender.name != "inventories":
        return
    by_code = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label="inventories")
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
        group.permissions.add(*(by_code[c] for c in codes if c in by_code))


def ensure_reference_after_migrate(sender=None, **kwargs) -> None:
    if sender is not None and sender.name != "inventories":
        return
    from inventories.ingest.derive import forget_reference_caches
    from inventories.reference import ensure_reference_data

    ensure_reference_data()
    # After a flush the reference rows come back with new keys: what was cached names old ones.
    forget_reference_caches()
