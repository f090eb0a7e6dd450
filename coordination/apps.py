from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from coordination.accounts.roles import ensure_role_groups

        # Groups need the permissions, which Django creates after migrating. Both run again
        # after a flush (as between transactional tests), which empties every table.
        post_migrate.connect(ensure_role_groups, dispatch_uid="coordination.ensure_role_groups")
        post_migrate.connect(
            ensure_reference_data_after_migrate, dispatch_uid="coordination.reference_data"
        )

        from django.contrib.auth.signals import user_login_failed

        from coordination.accounts import sign_in_limits

        user_login_failed.connect(
            sign_in_limits.record_failure, dispatch_uid="coordination.sign_in_failure"
        )

        from coordination.audit.selectors import track
        from coordination.models import (
            Activity,
            Body,
            Designation,
            Institution,
            Invitation,
            Membership,
            Person,
            Task,
            Workplan,
        )

        for key, model, label in (
            ("institution", Institution, _("Institutions")),
            ("person", Person, _("People")),
            ("body", Body, _("Bodies")),
            ("membership", Membership, _("Memberships")),
            ("designation", Designation, _("Designations")),
            ("workplan", Workplan, _("Workplans")),
            ("activity", Activity, _("Workplan activities")),
            ("task", Task, _("Tasks")),
            ("invitation", Invitation, _("Invitations to sign in")),
        ):
            track(key, model, label)

        from coordination import fragments

        fragments.connect()  # changes to the registry and workplans retire cached fragments

        from coordination.ballots.deadlines import BALLOT_CLOSING
        from coordination.documents.deadlines import DOCUMENT_UNREAD
        from coordination.meetings.deadlines import MEETING_AHEAD, MEETING_REPLY, MINUTES_APPROVAL
        from coordination.workplans.deadlines import PROGRESS_REPORT_DUE, TASK_DUE
        from ncm_portal import deadlines

        # In this order, which the home page and the reminder preferences follow.
        for kind in (
            TASK_DUE,
            PROGRESS_REPORT_DUE,
            MEETING_REPLY,
            MEETING_AHEAD,
            DOCUMENT_UNREAD,
            BALLOT_CLOSING,
            MINUTES_APPROVAL,
        ):
            deadlines.register(kind)

        from coordination import permissions
        from ncm_portal import permissions as portal_permissions

        portal_permissions.register("coordination", permissions)

        from ncm_portal import demo

        # The mechanism first: the apps' seeders build on it (see ncm_portal/demo.py).
        demo.register("coordination.mechanism", 10, "coordination.demo.seed_mechanism")
        demo.register("coordination.scale", 30, "coordination.demo.seed_scale")
        demo.register("coordination.focal_points", 60, "coordination.demo.sync_focal_points")


def ensure_reference_data_after_migrate(sender=None, **kwargs) -> None:
    if sender is not None and sender.name != "coordination":
        return
    from coordination.reference import ensure_reference_data

    ensure_reference_data()
