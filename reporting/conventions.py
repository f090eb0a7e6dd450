"""The national reports of each convention the portal prepares with the same machinery (rounds,
structure as data, prefill, sections, review, approval, outputs): what each report is called,
which article asks for it, which file holds its structure, and which convention role approves
it. The models keep their historical Article 15 names; this table says which convention a
round's report answers."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NationalReportKind:
    convention: str
    report_name: str
    list_title: str
    convention_name: str
    intro: str
    # Convention roles (codes in the registry) whose current holders approve, in order.
    approver_roles: tuple[str, ...]
    approver_label: str
    # The reference file of its rounds and structure, in reporting/reference/.
    reference_file: str


STOCKHOLM = "stockholm"
MINAMATA = "minamata"
BASEL = "basel"

KINDS = {
    STOCKHOLM: NationalReportKind(
        convention=STOCKHOLM,
        report_name=_("Article 15 national report"),
        list_title=_("National reports (Article 15)"),
        convention_name=_("Stockholm Convention on Persistent Organic Pollutants"),
        intro=_(
            "Every four years the Party reports on the measures it has taken to implement the "
            "Stockholm Convention and on their effectiveness, with its production, import and "
            "export of each chemical listed in Annexes A and B. The official contact point "
            "submits the report through the Convention's Electronic Reporting System."
        ),
        approver_roles=("official-contact-point",),
        approver_label=_("the official contact point of the Stockholm Convention"),
        reference_file="article15_round6.json",
    ),
    MINAMATA: NationalReportKind(
        convention=MINAMATA,
        report_name=_("Article 21 national report"),
        list_title=_("National reports (Minamata Convention, Article 21)"),
        convention_name=_("Minamata Convention on Mercury"),
        intro=_(
            "Every four years the Party reports in the full format adopted by decision MC-1/8 "
            "on the measures it has taken to implement the Minamata Convention and on their "
            "effectiveness; every two years in between it answers the questions marked with an "
            "asterisk. The national focal point transmits the report to the Secretariat."
        ),
        # The registry names a national focal point for Minamata; an official contact point,
        # where one is designated, approves as well.
        approver_roles=("official-contact-point", "national-focal-point"),
        approver_label=_(
            "the official contact point or national focal point of the Minamata Convention"
        ),
        reference_file="minamata_format_mc1_8.json",
    ),
    BASEL: NationalReportKind(
        convention=BASEL,
        report_name=_("Basel annual report"),
        list_title=_("National reports (Basel Convention, Article 13(3))"),
        convention_name=_(
            "Basel Convention on the Control of Transboundary Movements of Hazardous Wastes "
            "and their Disposal"
        ),
        intro=_(
            "Before the end of each calendar year the Party reports on the previous year: the "
            "hazardous and other wastes it exported and imported, with their waste codes, "
            "quantities, States and disposal or recovery operations, and the measures it took. "
            "The focal point transmits the report to the Secretariat."
        ),
        # The registry's Basel focal point transmits information under Article 13; an official
        # contact point, where one is designated, approves as well.
        approver_roles=("focal-point", "official-contact-point"),
        approver_label=_("the focal point of the Basel Convention"),
        reference_file="basel_annual_report.json",
    ),
}


def kind_of(convention: str) -> NationalReportKind:
    return KINDS.get(convention, KINDS[STOCKHOLM])
