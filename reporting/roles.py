"""What each role may do with Article 15 reports, added to the role groups after every migrate."""

from django.contrib.auth.models import Group, Permission

from coordination.models import ROLE_GROUPS, Role

MANAGE_REPORT = "reporting.manage_report"

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        "manage_report",
        *(
            f"{verb}_{m}"
            for m in ("round", "section", "question")
            for verb in ("add", "change", "view")
        ),
    ],
    Role.SECRETARIAT: ["manage_report"],
}


def ensure_reporting_permissions(sender=None, **kwargs) -> None:
    if sender is not None and sender.name != "reporting":
        return
    by_code = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label="reporting")
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
        group.permissions.add(*(by_code[c] for c in codes if c in by_code))


def ensure_reference_after_migrate(sender=None, **kwargs) -> None:
    # A flush (between transactional tests) empties every table: load the reference again.
    if sender is not None and sender.name != "reporting":
        return
    from reporting.reference import ensure_reference_data

    ensure_reference_data()
