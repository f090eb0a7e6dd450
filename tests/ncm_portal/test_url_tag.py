"""``{% url %}`` remembers an address written in full and reverses the others as Django does."""

from django.template import engines
from django.urls import reverse, set_script_prefix


def render(source, **context):
    return engines["django"].from_string(source).render(context)


def test_written_addresses_and_variables_read_as_django_reverses_them():
    source = (
        "{% url 'coordination:task-list' %}|{% url 'reporting:national-report-list' 'basel' %}"
        "|{% url 'coordination:body-detail' pk %}|{% url 'coordination:body-detail' pk=4 %}"
    )
    for pk in (3, 9):
        assert render(source, pk=pk) == "|".join(
            [
                reverse("coordination:task-list"),
                reverse("reporting:national-report-list", args=["basel"]),
                reverse("coordination:body-detail", args=[pk]),
                reverse("coordination:body-detail", kwargs={"pk": 4}),
            ]
        )


def test_an_assigned_address_is_still_assigned():
    assert render("{% url 'coordination:task-list' as there %}[{{ there }}]") == (
        f"[{reverse('coordination:task-list')}]"
    )


def test_the_script_prefix_is_part_of_what_is_remembered():
    source = "{% url 'coordination:task-list' %}"
    plain = render(source)
    try:
        set_script_prefix("/ncm/")
        assert render(source) == "/ncm" + plain
    finally:
        set_script_prefix("/")
    assert render(source) == plain
