"""The data pages show accepted data only, and their figures add up."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inventories import selectors_data as data
from inventories import selectors_summaries as summaries
from inventories.models import (
    Chemical,
    CustomsRecord,
    Dataset,
    DatasetVersion,
    MonitoringRecord,
    NationalProductCode,
    PCBEquipmentRecord,
    SourceCategory,
    UPOPsRelease,
)
from inventories.services.aggregates import aggregate_customs
from inventories.services.customs import MatchIndex
from inventories.services.ingest import hs_chapter_known
from ncm_portal import charts
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pcb_codes():
    """These tests follow PCB lines through totals, pages and links as a Party whose tariff
    identifies PCB alone would see them: 3824.82 and 2710.91 made specific to PCB. The reference
    codes as they are (groups of PCB and PBB) are tested in test_customs_matches.py."""
    from inventories.models import HSCode

    hexabromobiphenyl = Chemical.objects.get(slug="hexabromobiphenyl")
    for code in HSCode.objects.filter(code__in=["3824.82", "2710.91"]):
        code.chemicals.remove(hexabromobiphenyl)
    HSCode.objects.filter(code__in=["3824.82", "2710.91"]).update(match="specific")


ACCEPTED = DatasetVersion.Review.ACCEPTED
SPECIFIC = "specific"
SUBMITTED = DatasetVersion.Review.SUBMITTED
_periods = itertools.count()


def make_dataset(dataset_type, *, institution=None):
    start = datetime.date(2000, 1, 1) + datetime.timedelta(days=next(_periods))
    return Dataset.objects.create(
        institution=institution or InstitutionFactory(),
        dataset_type=dataset_type,
        period_start=start,
        period_end=start,
    )


def make_version(dataset, *, review=ACCEPTED, counts=True):
    """A validated version; ``counts`` makes it the dataset's accepted version."""
    version = DatasetVersion.objects.create(
        dataset=dataset,
        number=dataset.versions.count() + 1,
        raw_file="datasets/raw/x",
        original_name="x.csv",
        sha256="0" * 64,
        size=1,
        status=DatasetVersion.Status.VALIDATED,
        review_status=review,
    )
    if counts:
        dataset.accepted_version = version
        dataset.save(update_fields=["accepted_version"])
    return version


def customs_lines(version, lines):
    """Declaration lines as ingestion stores them, then the totals it computes."""
    index = MatchIndex()
    records = []
    for number, (declared_on, flow, hs_code, national_code, partner, mass) in enumerate(lines, 1):
        match = index.match_of(hs_code, national_code)
        records.append(
            CustomsRecord(
                version=version,
                row_number=number,
                declaration_id=f"D-{version.pk}-{number}",
                declared_on=declared_on,
                flow=flow,
                hs_code=hs_code,
                national_code=national_code,
                origin_country=partner if flow == "import" else "",
                consignment_country=partner if flow == "export" else "XX",
                net_mass_kg=Decimal(mass),
                match=match,
                hs_known=hs_chapter_known(hs_code),
            )
        )
    CustomsRecord.objects.bulk_create(records)
    aggregate_customs(version)


D2025 = datetime.date(2025, 3, 14)
ACCEPTED_LINES = [
    (D2025, "import", "3824.82.00", "", "DE", "100"),
    (datetime.date(2025, 6, 1), "import", "38248200", "", "DE", "50.5"),
    (datetime.date(2025, 7, 1), "import", "3824.82", "", "FR", "20"),
    (D2025, "export", "2710.91", "", "NL", "7"),
    (datetime.date(2024, 12, 31), "import", "3824.82.00", "", "DE", "3"),
    (D2025, "import", "8504.22.00", "", "DE", "2300"),
    (D2025, "import", "9999.00", "", "DE", "5"),
    (D2025, "import", "2903.89", "", "DE", "11"),
]


@pytest.fixture
def customs():
    """An accepted version, a later version under review, a superseded version that had been
    accepted, and a dataset with nothing accepted."""
    dataset = make_dataset("customs")
    superseded = make_version(dataset, counts=False)
    customs_lines(superseded, [(D2025, "import", "3824.82", "", "DE", "7000")])
    accepted = make_version(dataset)
    customs_lines(accepted, ACCEPTED_LINES)
    pending = make_version(dataset, review=SUBMITTED, counts=False)
    customs_lines(pending, [(D2025, "import", "3824.82", "", "DE", "1000")])
    other = make_dataset("customs")
    customs_lines(
        make_version(other, review=SUBMITTED, counts=False),
        [(D2025, "import", "3824.82", "", "DE", "5000")],
    )
    return accepted


def total_row(context, *, slug, year, flow, partner, match):
    rows = [
        row
        for table in context["tables"]
        for row in table["rows"]
        if (
            row["chemical__slug"] or row["code"],
            row["year"],
            row["flow"],
            row["partner_country"],
            row["match"],
        )
        == (slug, year, flow, partner, match)
    ]
    assert len(rows) <= 1
    return rows[0] if rows else None


def test_accepted_version_ids_are_the_accepted_versions_only(customs):
    assert list(data.accepted_version_ids().values_list("accepted_version", flat=True)) == [
        customs.pk
    ]


def test_customs_totals_count_only_the_accepted_version(customs):
    context = data.customs_totals()
    row = total_row(context, slug="pcb", year=2025, flow="import", partner="DE", match="specific")
    assert (row["lines_sum"], row["mass_sum"]) == (2, Decimal("150.500"))
    fr = total_row(context, slug="pcb", year=2025, flow="import", partner="FR", match="specific")
    assert fr["mass_sum"] == Decimal("20.000")
    # A transformer may or may not hold PCB: counted once, under its code, not for PCB.
    indicative = total_row(
        context, slug="8504.22", year=2025, flow="import", partner="DE", match="indicative"
    )
    assert indicative["mass_sum"] == Decimal("2300.000")
    assert indicative["chemical_id"] is None and "PCB" in indicative["label"]
    specific, groups, indicative_table = context["tables"]
    assert [t["match"] for t in context["tables"]] == ["specific", "group", "indicative"]
    assert all(r["match"] == "specific" for r in specific["rows"])
    # Nothing from the version under review, the superseded one or the unaccepted dataset.
    assert all(r["mass_sum"] < 1000 for r in specific["rows"])


def test_customs_filters_and_chart(customs):
    pcb = Chemical.objects.get(slug="pcb")
    context = data.customs_totals(year=2025, flow="import", chemical=pcb, match="specific")
    (table,) = context["tables"]
    assert [r["partner_country"] for r in table["rows"]] == ["DE", "FR"]
    assert table["mass"] == Decimal("170.500") and table["lines"] == 3
    bars = {(b.label, b.series): b.value for b in context["chart"].bars}
    assert bars[("2025", "Import")] == Decimal("170.500")


@pytest.mark.parametrize(
    ("key", "query"),
    [
        ({"chemical": "pcb"}, {"year": 2025, "flow": "import", "partner": "DE", "match": SPECIFIC}),
        (
            {"code": "8504.22", "national": "0"},
            {"year": 2025, "flow": "import", "partner": "DE", "match": "indicative"},
        ),
        ({"chemical": "pcb"}, {"year": 2025, "flow": "export", "partner": "NL", "match": SPECIFIC}),
        ({"chemical": "pcb"}, {"year": 2024, "flow": "import", "partner": "DE", "match": SPECIFIC}),
    ],
)
def test_lines_page_adds_up_to_the_total_that_links_to_it(client, viewer, customs, key, query):
    row = total_row(data.customs_totals(), slug=key.get("chemical") or key["code"], **query)
    client.force_login(viewer)
    response = client.get(reverse("inventories:data-customs-lines"), {**key, **query})
    assert response.status_code == 200
    assert response.context["count"] == row["lines_sum"]
    assert response.context["mass"] == row["mass_sum"]
    assert sum(line.net_mass_kg for line in response.context["lines"]) == row["mass_sum"]
    assert {line.version_id for line in response.context["lines"]} == {customs.pk}


def test_lines_for_any_partner_add_up_to_the_partner_totals(client, viewer, customs):
    context = data.customs_totals(year=2025, flow="import", match="specific")
    expected = sum(
        r["mass_sum"] for r in context["tables"][0]["rows"] if r["chemical__slug"] == "pcb"
    )
    client.force_login(viewer)
    query = {"chemical": "pcb", "year": 2025, "flow": "import", "match": "specific"}
    response = client.get(reverse("inventories:data-customs-lines"), query)
    assert response.context["mass"] == expected == Decimal("170.500")
    assert response.context["count"] == 3


def test_customs_page_links_each_total_to_its_lines(client, viewer, customs):
    client.force_login(viewer)
    response = client.get(reverse("inventories:data-customs"), {"chemical": "pcb", "year": 2025})
    link = (
        reverse("inventories:data-customs-lines")
        + "?chemical=pcb&amp;year=2025&amp;flow=import&amp;match=specific&amp;partner=DE"
    )
    assert link in response.content.decode()


def test_customs_tables_are_paged_and_their_totals_count_every_row(client, viewer, monkeypatch):
    from inventories import views_data

    monkeypatch.setattr(views_data, "TOTALS_PER_PAGE", 2)
    countries = ["DE", "FR", "NL", "IT", "ES"]
    customs_lines(
        make_version(make_dataset("customs")),
        [(D2025, "import", "3824.82", "", country, "10") for country in countries],
    )
    client.force_login(viewer)
    url = reverse("inventories:data-customs")
    first = client.get(url, {"chemical": "pcb", "match": "specific"})
    specific = first.context["tables"][0]
    assert [row["partner_country"] for row in specific["page"]] == ["DE", "ES"]
    assert specific["page"].paginator.num_pages == 3
    html = first.content.decode()
    assert "?chemical=pcb&amp;match=specific&amp;specific_page=2" in html
    assert ">50<" in html.replace(".000", "")  # the footer counts every page's rows
    last = client.get(url, {"chemical": "pcb", "match": "specific", "specific_page": 3})
    assert [row["partner_country"] for row in last.context["tables"][0]["page"]] == ["NL"]
    assert "specific_page=2" in last.content.decode()  # back to the previous page


def test_lines_follow_the_national_code_before_the_hs_code():
    hcb = Chemical.objects.get(slug="hcb")
    code = NationalProductCode.objects.create(
        code="3824.82.00.10", description="Test preparation", match="indicative"
    )
    code.chemicals.set([hcb])
    version = make_version(make_dataset("customs"))
    customs_lines(
        version,
        [
            (D2025, "import", "3824.82.00", "3824.82.00.10", "DE", "40"),
            (D2025, "import", "3824.82.00", "", "DE", "60"),
        ],
    )
    pcb = Chemical.objects.get(slug="pcb")
    pcb_lines = data.customs_lines_for_total(chemical=pcb, year=2025, flow="import", partner="DE")
    hcb_lines = data.customs_lines_for_total(chemical=hcb, year=2025, flow="import", partner="DE")
    assert [line.net_mass_kg for line in pcb_lines] == [Decimal("60.000")]
    assert [line.net_mass_kg for line in hcb_lines] == [Decimal("40.000")]
    totals = data.customs_totals(chemical=hcb)
    assert totals["tables"][2]["match"] == "indicative"
    assert totals["tables"][2]["mass"] == Decimal("40.000")


def test_lines_are_paged_by_key_and_pages_add_up():
    version = make_version(make_dataset("customs"))
    customs_lines(version, [(D2025, "import", "3824.82", "", "DE", str(n)) for n in range(1, 8)])
    pcb = Chemical.objects.get(slug="pcb")
    lines = data.customs_lines_for_total(chemical=pcb, year=2025, flow="import", partner="DE")
    seen, after, pages = [], None, 0
    while True:
        page = data.keyset_page(lines, after=after, per_page=3)
        pages += 1
        seen.extend(page["lines"])
        assert page["mass"] == Decimal(28)
        after = page["next_after"]
        if after is None:
            break
    assert pages == 3
    assert sum(line.net_mass_kg for line in seen) == Decimal(28)
    assert len({line.pk for line in seen}) == 7


def test_flagged_lines_are_those_with_an_unknown_chapter(client, viewer, customs):
    client.force_login(viewer)
    response = client.get(reverse("inventories:data-customs-lines"), {"mode": "flagged"})
    assert response.status_code == 200
    assert [line.hs_code for line in response.context["lines"]] == ["9999.00"]


def test_customs_page_query_count_does_not_grow(client, viewer, django_assert_max_num_queries):
    client.force_login(viewer)
    url = reverse("inventories:data-customs")

    def grow(n):
        version = make_version(make_dataset("customs"))
        customs_lines(
            version,
            [
                (
                    datetime.date(2020 + i % 6, 1, 1),
                    "import",
                    "3824.82",
                    "",
                    chr(65 + i % 20) + "A",
                    "1",
                )
                for i in range(n)
            ],
        )

    def count(target, query=None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(target, query or {}).status_code == 200
        return len(queries)

    filtered = {"year": 2021, "flow": "import", "chemical": "pcb", "match": "specific"}
    lines_url = reverse("inventories:data-customs-lines")
    lines_query = {"chemical": "pcb", "year": 2021, "flow": "import", "match": "specific"}
    grow(5)
    before = [count(url), count(url, filtered), count(lines_url, lines_query)]
    grow(300)
    with django_assert_max_num_queries(before[0]):
        client.get(url)
    with django_assert_max_num_queries(before[1]):
        client.get(url, filtered)
    with django_assert_max_num_queries(before[2]):
        client.get(lines_url, lines_query)


# --- PCB -------------------------------------------------------------------------------------


@pytest.fixture
def pcb_equipment():
    dataset = make_dataset("pcb")
    accepted = make_version(dataset)
    pending = make_version(dataset, review=SUBMITTED, counts=False)

    def equipment(version, klass, status, litres, n=1):
        for _ in range(n):
            PCBEquipmentRecord.objects.create(
                version=version,
                row_number=1,
                owner="Utility",
                site="North",
                equipment_type="transformer",
                serial_number="S",
                oil_volume_l=Decimal(litres),
                concentration_class=klass,
                status=status,
            )

    equipment(accepted, "above_500", "in_use", "850")
    equipment(accepted, "above_500", "in_use", "100")
    equipment(accepted, "above_500", "disposed", "300")
    equipment(accepted, "50_500", "decommissioned", "40")
    equipment(accepted, "50_500", "disposed", "12")
    equipment(accepted, "below_50", "in_use", "500")
    equipment(pending, "above_500", "in_use", "999", n=10)
    return accepted


def test_pcb_goal_figures(pcb_equipment):
    summary = summaries.pcb_summary(on=datetime.date(2026, 1, 10))
    goals = summary["goals"]
    assert goals.above_500_total == 3
    assert goals.above_500_in_use == 2
    assert goals.above_500_in_use_litres == Decimal("950")
    assert goals.goal_2025_missed is True
    assert goals.percent_2025 == 33
    assert goals.at_least_50_total == 5
    assert goals.at_least_50_not_disposed == 3
    assert goals.at_least_50_not_disposed_litres == Decimal("990")
    assert goals.percent_2028 == 40
    assert goals.goal_2028_missed is False
    assert summary["total"] == 6
    above = summary["table"][0]
    assert above["key"] == "above_500" and above["count"] == 3
    assert summaries.pcb_summary(on=datetime.date(2025, 6, 1))["goals"].goal_2025_missed is False


def test_pcb_chart_stacks_statuses_per_class(pcb_equipment):
    chart = summaries.pcb_summary()["chart"]
    above = [b for b in chart.bars if b.label == str(chart.categories[0].label)]
    assert sorted(b.value for b in above) == [1, 2]
    assert all(b.height > 0 for b in chart.bars)


# --- Releases and monitoring -----------------------------------------------------------------


def test_release_sums_per_vector_and_group():
    categories = list(
        SourceCategory.objects.select_related("group").order_by("group__number", "letter")
    )
    first, second = (
        categories[0],
        next(c for c in categories if c.group_id != categories[0].group_id),
    )
    sibling = next((c for c in categories[1:] if c.group_id == first.group_id), first)
    accepted = make_version(make_dataset("upops"))
    pending = make_version(make_dataset("upops"), review=SUBMITTED, counts=False)

    def release(version, category, vector, g_teq, year=2025):
        UPOPsRelease.objects.create(
            version=version,
            category=category,
            class_number=1,
            year=year,
            vector=vector,
            activity=Decimal(1),
            factor=Decimal(1),
            g_teq=Decimal(g_teq),
        )

    release(accepted, first, "air", "1.5")
    release(accepted, first, "water", "0.5")
    release(accepted, sibling, "air", "1.0")
    release(accepted, second, "land", "2.0")
    release(accepted, second, "air", "4.0", year=2024)
    release(pending, first, "air", "100")
    summary = summaries.release_summary()
    assert summary["year"] == 2025
    by_year = {
        row["year"]: dict(zip([v["key"] for v in summary["vectors"]], row["cells"]))
        for row in summary["per_year"]
    }
    assert by_year[2025] == {
        "air": Decimal("2.5"),
        "water": Decimal("0.5"),
        "land": Decimal("2"),
        "product": 0,
        "residue": 0,
    }
    assert by_year[2024]["air"] == Decimal(4)
    assert summary["per_year"][0]["total"] == Decimal(5)
    group = next(g for g in summary["chosen"] if g["number"] == first.group.number)
    assert group["by_vector"]["air"] == Decimal("2.5")
    assert len(summaries.release_summary(year=2024)["chosen"]) == 1


def test_monitoring_summary_counts_detected_values():
    accepted = make_version(make_dataset("monitoring"))
    pending = make_version(make_dataset("monitoring"), review=SUBMITTED, counts=False)

    def result(version, value, below=False, year=2024, site="Station A"):
        MonitoringRecord.objects.create(
            version=version,
            row_number=1,
            sample_id="S",
            site=site,
            matrix="air",
            sampling_start=datetime.date(year, 2, 1),
            analyte="PFOS",
            unit="pg/m³",
            value=None if value is None else Decimal(value),
            below_limit=below,
            laboratory="Lab",
        )

    result(accepted, "0.4")
    result(accepted, "0.8")
    result(accepted, None, below=True)
    result(accepted, "0.6", year=2025)
    result(pending, "99")
    summary = summaries.monitoring_summary(analyte="PFOS", matrix="air")
    first = summary["rows"][0]
    assert (first["year"], first["samples"], first["detected"]) == (2024, 3, 2)
    assert (first["minimum"], first["maximum"]) == (Decimal("0.4"), Decimal("0.8"))
    assert float(first["mean"]) == pytest.approx(0.6)
    (line,) = summary["chart"].lines
    assert [p.label for p in line.points] == ["2024", "2025"]


# --- Charts ----------------------------------------------------------------------------------


def test_bar_geometry_fits_the_plot():
    chart = charts.stacked_bars(
        categories=["a", "b"],
        series=[("x", "X"), ("y", "Y")],
        values={("a", "x"): 3, ("a", "y"): 2, ("b", "x"): 10},
        title="t",
        unit="u",
    )
    assert chart.ticks[-1].label == "10"
    for bar in chart.bars:
        assert chart.top <= bar.y and bar.y + bar.height <= chart.bottom + 0.01
    stacked = [b for b in chart.bars if b.label == "a"]
    assert stacked[1].y + stacked[1].height == pytest.approx(stacked[0].y)


def test_nice_ceiling():
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 7, 170.5, 2300)] == [1, 0.5, 10, 200, 2500]


# --- Who may read ----------------------------------------------------------------------------

PAGES = [
    ("inventories:data-customs", {}, {}),
    ("inventories:data-customs-lines", {}, {"chemical": "pcb", "year": 2025, "flow": "import"}),
    ("inventories:data-customs-lines", {}, {"mode": "flagged"}),
    ("inventories:data-monitoring", {}, {}),
    ("inventories:data-pcb", {}, {}),
    ("inventories:data-releases", {}, {}),
    ("inventories:chemical-list", {}, {}),
    ("inventories:chemical-detail", {"slug": "pcb"}, {}),
    ("inventories:hs-code-list", {}, {}),
]


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_every_signed_in_user_reads_the_pages(
    client, viewer, customs, pcb_equipment, name, kwargs, query
):
    client.force_login(viewer)
    response = client.get(reverse(name, kwargs=kwargs), query)
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, name, kwargs, query):
    response = client.get(reverse(name, kwargs=kwargs), query)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_pages_answer_when_there_is_no_data(client, viewer):
    client.force_login(viewer)
    for name, kwargs, query in PAGES:
        assert client.get(reverse(name, kwargs=kwargs), query).status_code == 200


def test_lines_page_needs_a_chemical_and_a_readable_query(client, viewer):
    client.force_login(viewer)
    url = reverse("inventories:data-customs-lines")
    assert client.get(url).status_code == 404
    assert client.get(url, {"chemical": "pcb", "partner": "DEU"}).status_code == 404
    assert client.get(url, {"chemical": "pcb", "year": "soon"}).status_code == 404


def test_chart_draws_one_chemical_so_shared_lines_count_once(customs):
    # 3824.82 and 2710.91 point to both PCB and hexabromobiphenyl.
    chart = data.customs_totals()["chart"]
    bars = {(b.label, b.series): b.value for b in chart.bars}
    assert bars[("2025", "Import")] == Decimal("170.500")
    assert bars[("2025", "Export")] == Decimal("7.000")


def add_accepted_data_of_every_kind(n):
    customs_lines(
        make_version(make_dataset("customs")),
        [(datetime.date(2019 + i % 7, 5, 1), "export", "2710.91", "", "NL", "2") for i in range(n)],
    )
    pcb = make_version(make_dataset("pcb"))
    monitoring = make_version(make_dataset("monitoring"))
    upops = make_version(make_dataset("upops"))
    category = SourceCategory.objects.order_by("pk").first()
    for i in range(n):
        PCBEquipmentRecord.objects.create(
            version=pcb,
            row_number=i,
            owner="Utility",
            site="South",
            equipment_type="capacitor",
            serial_number=str(i),
            oil_volume_l=Decimal(3),
            concentration_class="50_500",
            status=("in_use", "disposed")[i % 2],
        )
        MonitoringRecord.objects.create(
            version=monitoring,
            row_number=i,
            sample_id=str(i),
            site=f"Site {i % 5}",
            matrix="soil",
            sampling_start=datetime.date(2015 + i % 9, 1, 1),
            analyte="HCB",
            chemical=Chemical.objects.get(slug="hcb"),
            unit="ng/g",
            value=Decimal(i),
            laboratory="Lab",
        )
        UPOPsRelease.objects.create(
            version=upops,
            category=category,
            class_number=1,
            year=2010 + i % 12,
            vector=("air", "land")[i % 2],
            activity=Decimal(1),
            factor=Decimal(1),
            g_teq=Decimal(i),
        )


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_page_query_counts_do_not_grow_with_the_data(
    client, viewer, django_assert_max_num_queries, name, kwargs, query
):
    client.force_login(viewer)
    url = reverse(name, kwargs=kwargs)
    add_accepted_data_of_every_kind(3)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    add_accepted_data_of_every_kind(60)
    with django_assert_max_num_queries(len(queries)):
        assert client.get(url, query).status_code == 200
