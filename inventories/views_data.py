"""Pages that show what accepted inventory data says: customs totals and the lines behind them,
monitoring results, PCB equipment against the 2025 and 2028 goals, unintentional POPs releases,
and the reference tables. Every signed-in user may read them (sign-in is required by middleware)."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from inventories import selectors_data as data
from inventories import selectors_summaries as summaries
from inventories.models import Chemical, Flow, Match


def _small(form: forms.Form) -> forms.Form:
    """Give the filter widgets Bootstrap's small form classes."""
    for field in form.fields.values():
        small = (
            "form-select form-select-sm"
            if hasattr(field.widget, "choices")
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", small)
    return form


ANY = [("", _("Any"))]


class CustomsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    flow = forms.ChoiceField(label=_("Flow"), required=False, choices=ANY + Flow.choices)
    chemical = forms.ModelChoiceField(
        label=_("Chemical"),
        required=False,
        queryset=Chemical.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Any"),
    )
    match = forms.ChoiceField(label=_("Match"), required=False, choices=ANY + Match.choices)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = ANY + [(y, str(y)) for y in years]
        _small(self)


class CustomsLinesForm(forms.Form):
    chemical = forms.ModelChoiceField(
        label=_("Chemical"), queryset=Chemical.objects.all(), to_field_name="slug", required=False
    )
    code = forms.CharField(label=_("Code"), required=False, max_length=20)
    national = forms.BooleanField(label=_("National code"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    flow = forms.ChoiceField(label=_("Flow"), required=False, choices=ANY + Flow.choices)
    partner = forms.CharField(label=_("Partner country"), required=False, max_length=2)
    match = forms.ChoiceField(label=_("Match"), required=False, choices=ANY + Match.choices)
    after = forms.RegexField(r"^[0-9]{1,18}-[0-9]{1,18}$", required=False)
    mode = forms.ChoiceField(
        required=False, choices=[("", _("Lines behind a total")), ("flagged", _("Flagged lines"))]
    )


class MonitoringFilterForm(forms.Form):
    analyte = forms.ChoiceField(label=_("Analyte"), required=False)
    matrix = forms.ChoiceField(label=_("Matrix"), required=False)

    def __init__(self, *args, analytes=(), matrices=(), matrix_labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        matrix_labels = matrix_labels or {}
        self.fields["analyte"].choices = ANY + [(a, a) for a in analytes]
        self.fields["matrix"].choices = ANY + [(m, matrix_labels.get(m, m)) for m in matrices]
        _small(self)


def _cleaned(form: forms.Form) -> dict:
    """The valid filters; a filter with a bad value is ignored rather than failing the page."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if name not in form.errors}


TOTALS_PER_PAGE = 50


def customs(request):
    form = CustomsFilterForm(request.GET or None, years=data.customs_years())
    filters = _cleaned(form) if request.GET else {}
    context = data.customs_totals(
        year=filters.get("year"),
        flow=filters.get("flow") or None,
        chemical=filters.get("chemical"),
        match=filters.get("match") or None,
    )
    # Each table is paged on its own (``specific_page``, ``indicative_page``); the totals in its
    # footer stay those of every row.
    for table in context["tables"]:
        param = f"{table['match']}_page"
        table["page"] = Paginator(table["rows"], TOTALS_PER_PAGE).get_page(request.GET.get(param))
        table["page_param"] = param
        query = request.GET.copy()
        query.pop(param, None)
        table["query"] = query.urlencode()
    context["form"] = form
    return render(request, "inventories/data/customs.html", context)


def customs_lines(request):
    form = CustomsLinesForm(request.GET)
    filters = _cleaned(form)
    if set(form.errors) - {"after"}:
        # Links to this page are made by the portal; a query it cannot read matches nothing.
        raise Http404(_("These lines cannot be found."))
    after = filters.get("after")
    if filters.get("mode") == "flagged":
        context = data.keyset_page(data.flagged_lines(), after=after)
        context.update(flagged=True, query=urlencode({"mode": "flagged"}))
        return render(request, "inventories/data/customs_lines.html", context)
    chemical = filters.get("chemical")
    code = (filters.get("code") or "").strip()
    national = bool(filters.get("national")) and request.GET.get("national") != "0"
    if chemical is None and not code:
        raise Http404(_("Choose a chemical."))
    # A partner given, even empty, narrows to it; no partner in the query means any partner.
    partner = filters["partner"].upper() if "partner" in request.GET else None
    lines = data.customs_lines_for_total(
        chemical=None if code else chemical,
        code=code or None,
        national=national,
        year=filters.get("year"),
        flow=filters.get("flow") or None,
        partner=partner,
        match=filters.get("match") or None,
    )
    context = data.keyset_page(lines, after=after)
    if code:
        query = {"code": code, "national": "1" if national else "0"}
        members = data.code_members([(code, national)])[(code, national)]
        context["group_label"] = members["label"]
    else:
        query = {"chemical": chemical.slug}
    for name in ("year", "flow", "match"):
        if filters.get(name):
            query[name] = filters[name]
    if partner is not None:
        query["partner"] = partner
    flows = dict(Flow.choices)
    matches = dict(Match.choices)
    context.update(
        flagged=False,
        chemical=chemical,
        year=filters.get("year"),
        flow_label=flows.get(filters.get("flow"), ""),
        match_label=matches.get(filters.get("match"), ""),
        partner=partner,
        query=urlencode(query),
    )
    return render(request, "inventories/data/customs_lines.html", context)


def monitoring(request):
    choices = summaries.monitoring_choices()
    matrix_labels = data.matrix_labels()
    form = MonitoringFilterForm(
        request.GET or None,
        analytes=choices["analytes"],
        matrices=choices["matrices"],
        matrix_labels=matrix_labels,
    )
    filters = _cleaned(form) if request.GET else {}
    analyte, matrix = filters.get("analyte", ""), filters.get("matrix", "")
    if not (analyte and matrix) and choices["pairs"] and not request.GET:
        # With no choice made, the chart shows the first analyte and matrix with results.
        analyte, matrix = choices["pairs"][0]
        form = MonitoringFilterForm(
            {"analyte": analyte, "matrix": matrix},
            analytes=choices["analytes"],
            matrices=choices["matrices"],
            matrix_labels=matrix_labels,
        )
    context = summaries.monitoring_summary(analyte=analyte, matrix=matrix)
    context.update(form=form, analyte=analyte, matrix_label=matrix_labels.get(matrix, matrix))
    return render(request, "inventories/data/monitoring.html", context)


def pcb(request):
    return render(request, "inventories/data/pcb.html", summaries.pcb_summary())


def waste_movements(request):
    from inventories.selectors_waste import waste_movements_summary

    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return render(
        request, "inventories/data/waste_movements.html", waste_movements_summary(year=year)
    )


def releases(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return render(request, "inventories/data/releases.html", summaries.release_summary(year=year))


def chemical_list(request):
    return render(
        request, "inventories/data/chemical_list.html", {"chemicals": data.chemical_list()}
    )


def chemical_detail(request, slug):
    return render(request, "inventories/data/chemical_detail.html", data.chemical_detail(slug=slug))


def hs_code_list(request):
    return render(request, "inventories/data/hs_code_list.html", {"codes": data.hs_code_list()})
