from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from reporting.roles import ensure_reference_after_migrate, ensure_reporting_permissions

        post_migrate.connect(
            ensure_reporting_permissions, dispatch_uid="reporting.ensure_permissions"
        )
        post_migrate.connect(ensure_reference_after_migrate, dispatch_uid="reporting.reference")

        from coordination.audit.selectors import track
        from reporting.models import Answer, Report, SectionAssignment

        track("article15-report", Report, _("Article 15 reports"))
        track("article15-assignment", SectionAssignment, _("Article 15 report sections"))
        track("article15-answer", Answer, _("Article 15 answers"))
        from reporting.models import ObligationInstance

        track("convention-obligation", ObligationInstance, _("Convention obligations"))

        from reporting import fragments

        fragments.connect()  # rounds, reports and obligations retire the calendar's cached month

        from ncm_portal import deadlines
        from reporting.deadline_providers import KINDS

        for kind in KINDS:
            deadlines.register(kind)
        from reporting.obligations.deadlines import KINDS as OBLIGATION_KINDS

        for kind in OBLIGATION_KINDS:
            deadlines.register(kind)

        from coordination import decisions

        decisions.register("import_response", "reporting.ImportResponse", "steering_committee")

        from ncm_portal import permissions as portal_permissions
        from reporting import permissions

        portal_permissions.register("reporting", permissions)

        from ncm_portal import demo

        demo.register("reporting.reports", 70, "reporting.demo.seed_reports")
