"""The mechanism's performance report: the page and the same content as a PDF."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ncm_portal.pdf import render_pdf
from reporting import performance
from reporting.charts_performance import add_charts
from reporting.performance.obligations import obligations_section
from reporting.performance.period import Period, default_year, years_offered
from reporting.permissions import can_view_performance


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years_offered()]
        self.fields["year"].widget.attrs["class"] = "form-select form-select-sm"


def require_reader(user) -> None:
    if not can_view_performance(user):
        raise PermissionDenied(_("The performance report is for the mechanism's members."))


def report_context(year: int, *, obligations: bool = False) -> dict:
    context = add_charts(performance.performance_report(year=year))
    if obligations:
        context["obligations"] = obligations_section(context["period"])
    return context


def chosen_year(request) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid():
        return form.cleaned_data["year"]
    return default_year()


@require_GET
def performance_report(request):
    require_reader(request.user)
    year = chosen_year(request)
    context = report_context(year)
    context["form"] = YearForm(initial={"year": year})
    return render(request, "reporting/performance/report.html", context)


@require_GET
def performance_pdf(request):
    require_reader(request.user)
    year = chosen_year(request)
    pdf = render_pdf(
        "reporting/performance/report_pdf.html", report_context(year, obligations=True)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ncm-performance-{year}.pdf"'
    return response


@require_GET
def performance_obligations(request):
    """The section on obligations met on time, which the page loads after the rest."""
    require_reader(request.user)
    section = obligations_section(Period.of(chosen_year(request)))
    return render(request, "reporting/performance/_obligations.html", {"obligations": section})
