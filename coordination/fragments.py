"""Which changes retire which cached fragments (see ncm_portal.fragments).

- ``registry``: the institution directory's rows, a body's member table and the mechanism's
  warnings on the home page: institutions, mandates, bodies, seats (memberships), people and
  their designations, conventions and their roles.
- ``workplans``: a workplan page's task tables and timeline: activities and tasks, and the
  institutions and people they name.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from ncm_portal.fragments import bump

REGISTRY = "registry"
WORKPLANS = "workplans"


def _models():
    from coordination.models import (
        Activity,
        Body,
        Convention,
        ConventionRole,
        Designation,
        Institution,
        Mandate,
        Membership,
        Person,
        Task,
        Workplan,
    )

    return {
        Institution: (REGISTRY, WORKPLANS),
        Mandate: (REGISTRY,),
        Body: (REGISTRY,),
        Membership: (REGISTRY,),
        Person: (REGISTRY, WORKPLANS),
        Designation: (REGISTRY,),
        Convention: (REGISTRY,),
        ConventionRole: (REGISTRY,),
        Workplan: (WORKPLANS,),
        Activity: (WORKPLANS,),
        Task: (WORKPLANS,),
    }


def connect() -> None:
    for model, names in _models().items():

        def changed(sender, names=names, **kwargs):
            bump(*names)

        uid = f"fragments.{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=uid + ".save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=uid + ".delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}.{field.name}",
                weak=False,
            )
