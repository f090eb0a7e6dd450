"""Reference data: the chemicals listed under the Stockholm Convention, the HS codes that point to
them, the national product codes the secretariat maps onto both, and the Toolkit for
unintentional POPs (source groups, categories, classes and their emission factors)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Chemical(models.Model):
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    cas_numbers = models.TextField(_("CAS numbers"), blank=True)
    annex_a = models.BooleanField(_("Annex A (elimination)"), default=False)
    annex_b = models.BooleanField(_("Annex B (restriction)"), default=False)
    annex_c = models.BooleanField(_("Annex C (unintentional production)"), default=False)
    listed_at = models.CharField(_("listed at"), max_length=120)
    listed_year = models.PositiveSmallIntegerField(_("year listed"))
    entry_into_force = models.CharField(_("entry into force"), max_length=160, blank=True)
    is_pesticide = models.BooleanField(_("pesticide"), default=False)
    is_industrial = models.BooleanField(_("industrial chemical"), default=False)
    is_unintentional = models.BooleanField(_("unintentionally produced"), default=False)
    exemptions = models.TextField(_("exemptions and notes"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["listed_year", "name"]
        verbose_name = _("listed chemical")
        verbose_name_plural = _("listed chemicals")

    def __str__(self) -> str:
        return self.name

    @property
    def annexes(self) -> str:
        return ", ".join(
            letter
            for letter, flag in (("A", self.annex_a), ("B", self.annex_b), ("C", self.annex_c))
            if flag
        )

    @property
    def cas_list(self) -> list[str]:
        """The CAS registry numbers written in the reference, without their remarks."""
        import re

        return re.findall(r"\b\d{2,7}-\d{2}-\d\b", self.cas_numbers)

    @property
    def categories(self) -> list[str]:
        labels = []
        if self.is_pesticide:
            labels.append(str(_("pesticide")))
        if self.is_industrial:
            labels.append(str(_("industrial chemical")))
        if self.is_unintentional:
            labels.append(str(_("unintentionally produced")))
        return labels


class Match(models.TextChoices):
    """How surely a code points to a listed chemical: it identifies one (specific); it identifies a
    group of listed chemicals, any one or several of which a line may hold (group); or its goods
    may or may not hold a listed chemical at all (indicative). Only a specific match counts towards
    one chemical's total; a group or indicative line is counted once, under its code."""

    SPECIFIC = "specific", _("Specific")
    GROUP = "group", _("Group of chemicals")
    INDICATIVE = "indicative", _("Indicative only")

    @classmethod
    def of(cls, match: str, chemicals: int) -> str:
        """The match a code gives its lines: a code said to be specific that names several
        chemicals identifies a group of them, not each of them."""
        if match == cls.SPECIFIC and chemicals > 1:
            return cls.GROUP
        return match


def members_label(names) -> str:
    """The chemicals a group or indicative code may hold, as one phrase: "aldrin, chlordane or
    heptachlor"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s or %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


class HSCode(models.Model):
    """A Harmonized System subheading or heading that identifies POPs or goods that may contain
    them."""

    code = models.CharField(_("HS code"), max_length=12, unique=True)
    digits = models.CharField(max_length=10, editable=False, db_index=True)
    description = models.TextField(_("description"))
    chemicals = models.ManyToManyField(
        Chemical, verbose_name=_("chemicals"), related_name="hs_codes", blank=True
    )
    match = models.CharField(_("match"), max_length=12, choices=Match.choices)
    chemical_note = models.TextField(_("chemicals as written in the source"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.digits = only_digits(self.code)
        super().save(*args, **kwargs)


def only_digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


class NationalProductCode(models.Model):
    """A national tariff line or product code, kept by the secretariat, mapped to an HS code and to
    the chemicals it points to."""

    code = models.CharField(_("national code"), max_length=20, unique=True)
    digits = models.CharField(max_length=20, editable=False, db_index=True)
    description = models.CharField(_("description"), max_length=255)
    hs_code = models.ForeignKey(
        HSCode,
        verbose_name=_("HS code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="national_codes",
    )
    chemicals = models.ManyToManyField(
        Chemical, verbose_name=_("chemicals"), related_name="national_codes", blank=True
    )
    match = models.CharField(_("match"), max_length=12, choices=Match.choices)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords(m2m_fields=[chemicals])

    class Meta:
        ordering = ["code"]
        verbose_name = _("national product code")
        verbose_name_plural = _("national product codes")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    def save(self, *args, **kwargs):
        self.digits = only_digits(self.code)
        super().save(*args, **kwargs)


class Vector(models.TextChoices):
    """The five release vectors of the Toolkit."""

    AIR = "air", _("Air")
    WATER = "water", _("Water")
    LAND = "land", _("Land")
    PRODUCT = "product", pgettext_lazy("release vector", "Product")
    RESIDUE = "residue", _("Residue")


class SourceGroup(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=160)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Toolkit source group")
        verbose_name_plural = _("Toolkit source groups")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class SourceCategory(models.Model):
    group = models.ForeignKey(
        SourceGroup,
        verbose_name=_("source group"),
        on_delete=models.PROTECT,
        related_name="categories",
    )
    letter = models.CharField(_("letter"), max_length=2)
    name = models.CharField(_("name"), max_length=200)
    unconfirmed = models.BooleanField(_("not confirmed in the source"), default=False)

    class Meta:
        ordering = ["group__number", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["group", "letter"], name="source_category_unique"),
        ]
        verbose_name = _("Toolkit source category")
        verbose_name_plural = _("Toolkit source categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def code(self) -> str:
        return f"{self.group.number}{self.letter}"


class EmissionFactor(models.Model):
    """The release of PCDD/PCDF (µg TEQ) per unit of activity for one class of a source category,
    per vector. Entered or imported by the secretariat; each row keeps its source."""

    category = models.ForeignKey(
        SourceCategory,
        verbose_name=_("source category"),
        on_delete=models.PROTECT,
        related_name="emission_factors",
    )
    class_number = models.PositiveSmallIntegerField(_("class"))
    class_description = models.CharField(_("class description"), max_length=255)
    vector = models.CharField(_("vector"), max_length=10, choices=Vector.choices)
    factor = models.DecimalField(_("µg TEQ per unit of activity"), max_digits=14, decimal_places=4)
    activity_unit = models.CharField(_("unit of activity"), max_length=40, default="t")
    source = models.CharField(_("source"), max_length=255)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["category__group__number", "category__letter", "class_number", "vector"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "class_number", "vector"], name="emission_factor_unique"
            ),
        ]
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")

    def __str__(self) -> str:
        return f"{self.category.code} class {self.class_number} {self.vector}"
