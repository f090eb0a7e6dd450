"""The five role groups and the model permissions each carries.

Object permissions (a focal point's own institution, the bodies a secretariat serves) are given
per object with django-guardian by the services that create designations and bodies.
"""

from django.contrib.auth.models import Group, Permission

from coordination.models import ROLE_GROUPS, Role

REGISTRY_MODELS = ["institution", "person", "designation", "membership", "body"]
SECRETARIAT_FILES = [
    "coordination.add_document",
    "coordination.add_meeting",
    "coordination.add_externalevent",
    "coordination.change_externalevent",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        *(
            f"coordination.{verb}_{m}"
            for m in REGISTRY_MODELS
            for verb in ("add", "change", "view")
        ),
        "coordination.change_body",
        "coordination.add_user",
        "coordination.change_user",
        "coordination.view_user",
        "coordination.change_convention",
        "coordination.change_conventionrole",
        "coordination.add_mandate",
        "coordination.change_mandate",
        "auth.view_group",
        "auth.change_group",
        *SECRETARIAT_FILES,
    ],
    # The secretariat keeps the registry; it changes only the bodies it serves (object level).
    Role.SECRETARIAT: [
        *(f"coordination.{verb}_{m}" for m in REGISTRY_MODELS for verb in ("add", "view")),
        "coordination.change_institution",
        "coordination.change_person",
        "coordination.change_designation",
        "coordination.change_membership",
        *SECRETARIAT_FILES,
    ],
    Role.FOCAL_POINT: [f"coordination.view_{m}" for m in REGISTRY_MODELS],
    Role.MEMBER: [f"coordination.view_{m}" for m in REGISTRY_MODELS],
    Role.VIEWER: [f"coordination.view_{m}" for m in REGISTRY_MODELS],
}


MANAGED_APPS = ("coordination", "auth")


def ensure_role_groups(sender=None, **kwargs) -> None:
    """Create the role groups and set their permissions. Safe to run any number of times."""
    if sender is not None and sender.name != "coordination":
        return
    wanted = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    by_code = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={c.split(".", 1)[1] for c in wanted}
        )
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
        # Other apps add their own permissions to the same groups: keep those.
        others = group.permissions.exclude(content_type__app_label__in=MANAGED_APPS)
        group.permissions.set([*others, *(by_code[c] for c in codes if c in by_code)])
