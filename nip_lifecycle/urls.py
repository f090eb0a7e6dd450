from django.urls import path

from nip_lifecycle.views import cycles, drafts, priorities, steps

app_name = "nip_lifecycle"

urlpatterns = [
    path("", cycles.cycle_list, name="cycle-list"),
    path("new/", cycles.cycle_create, name="cycle-create"),
    path("<int:pk>/", cycles.cycle_detail, name="cycle-detail"),
    path("<int:pk>/amendments/add/", cycles.amendment_add, name="amendment-add"),
    path("<int:pk>/deadline/", cycles.cycle_deadline, name="cycle-deadline"),
    path("<int:pk>/priorities/", priorities.priority_detail, name="priority-detail"),
    path("<int:pk>/priorities/weights/", priorities.criteria_weights, name="criteria-weights"),
    path("<int:pk>/priorities/issues/add/", priorities.issue_add, name="issue-add"),
    path("issues/<int:pk>/score/", priorities.issue_score, name="issue-score"),
    path("<int:pk>/objectives/add/", priorities.objective_add, name="objective-add"),
    path("<int:pk>/workplan/", priorities.cycle_workplan, name="cycle-workplan"),
    path("objectives/<int:pk>/actions/add/", priorities.action_add, name="action-add"),
    path("<int:pk>/draft/", drafts.draft_detail, name="draft-detail"),
    path("<int:pk>/draft/sections/add/", drafts.section_add, name="section-add"),
    path("sections/<int:pk>/revise/", drafts.section_revise, name="section-revise"),
    path("<int:pk>/consultation/", drafts.consultation_detail, name="consultation-detail"),
    path("<int:pk>/consultation/toggle/", drafts.consultation_toggle, name="consultation-toggle"),
    path("sections/<int:pk>/comment/", drafts.comment_add, name="comment-add"),
    path("comments/<int:pk>/resolve/", drafts.comment_resolve, name="comment-resolve"),
    path("<int:pk>/transmission/", drafts.transmission_record, name="transmission-record"),
    path("<int:pk>/package/", drafts.package_request, name="package-request"),
    path("packages/<int:pk>/progress/", drafts.package_progress, name="package-progress"),
    path("packages/<int:pk>/download/", drafts.package_download, name="package-download"),
    path("steps/<int:pk>/", steps.step_detail, name="step-detail"),
    path("steps/<int:pk>/plan/", steps.step_update, name="step-update"),
    path("steps/<int:pk>/start/", steps.step_start, name="step-start"),
    path("steps/<int:pk>/submit/", steps.step_submit, name="step-submit"),
    path("steps/<int:pk>/review/", steps.step_review, name="step-review"),
    path("steps/<int:pk>/approve/", steps.step_approve, name="step-approve"),
    path("steps/<int:pk>/complete/", steps.step_complete, name="step-complete"),
    path("steps/<int:pk>/checklist/add/", steps.checklist_add, name="checklist-add"),
    path("checklist/<int:pk>/mark/", steps.checklist_mark, name="checklist-mark"),
    path("steps/<int:pk>/deliverables/add/", steps.deliverable_add, name="deliverable-add"),
    path("deliverables/<int:pk>/attach/", steps.deliverable_attach, name="deliverable-attach"),
]
