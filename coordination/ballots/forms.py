"""Drafting a ballot, voting, closing early and cancelling."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.models import Ballot
from coordination.registry.forms import quorum_field
from ncm_portal.forms import LocalDateTimeField, PortalForm, PortalModelForm


class BallotForm(PortalModelForm):
    submit_label = _("Create the ballot")

    quorum_share = quorum_field()

    options = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for a choice between several options."),
    )
    opens_at = LocalDateTimeField(label=_("Opens"), required=False)
    closes_at = LocalDateTimeField(label=_("Closes"))

    class Meta:
        model = Ballot
        fields = [
            "question",
            "explanation",
            "kind",
            "options",
            "electorate",
            "quorum_share",
            "majority",
            "abstentions_count_for_quorum",
            "secret",
            "results_while_open",
            "allow_change",
            "opens_at",
            "closes_at",
        ]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}

    def clean_options(self):
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if data.get("secret") and data.get("results_while_open"):
            self.add_error(
                "results_while_open",
                _(
                    "A secret ballot shows its result only when it closes: a running tally beside "
                    "the list of voters would tell who chose what."
                ),
            )
        return data

    def _post_clean(self):
        pass


class CloseEarlyForm(PortalForm):
    submit_label = _("Close the ballot now")

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the ballot's audit trail."),
    )


class VoteForm(PortalForm):
    submit_label = _("Cast the vote")

    def __init__(self, *args, ballot, electors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elector"] = forms.ModelChoiceField(
            label=_("Voting for"), queryset=electors, empty_label=None
        )
        self.fields["option"] = forms.ModelChoiceField(
            label=_("Your vote"),
            queryset=ballot.options.all(),
            widget=forms.RadioSelect,
            empty_label=None,
        )


class CancelForm(PortalForm):
    submit_label = _("Cancel the ballot")

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
