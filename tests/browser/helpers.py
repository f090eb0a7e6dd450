"""What the browser journeys share."""

from tests.factories import PASSWORD


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form as a person would, starting from a fresh session."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def convention_report_pages() -> list[str]:
    """The demo's Basel and Minamata national reports (each the latest of its convention) and
    the section of each that the accepted data prefill: Basel's movements with their links to
    the rows behind each figure (and those rows), Minamata's supply sources and trade."""
    from django.urls import reverse

    from reporting.models import Answer, Report
    from reporting.selectors import row_references

    pages = []
    for convention, code in (("basel", "II-A"), ("minamata", "B-3")):
        report = Report.objects.filter(round__convention=convention).latest("pk")
        section = report.round.sections.get(code=code)
        pages += [
            reverse("reporting:article15-detail", args=[report.pk]),
            reverse("reporting:article15-section", args=[report.pk, section.pk]),
        ]
    basel = Report.objects.filter(round__convention="basel").latest("pk")
    exports = Answer.objects.get(report=basel, question__code="II-1").prefilled or {"rows": []}
    for row in exports["rows"][:1]:
        for version, numbers in row_references(row["rows"])[:1]:
            rows = ",".join(str(n) for n in numbers)
            pages.append(reverse("inventories:version-rows", args=[version]) + f"?n={rows}")
    return pages
