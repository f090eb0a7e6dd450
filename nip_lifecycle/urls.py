from django.urls import path

from nip_lifecycle import views

app_name = "nip_lifecycle"

urlpatterns = [
    path("", views.cycle_list, name="cycle-list"),
    path("new/", views.cycle_create, name="cycle-create"),
    path("<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("<int:pk>/amendments/add/", views.amendment_add, name="amendment-add"),
    path("<int:pk>/deadline/", views.cycle_deadline, name="cycle-deadline"),
    path("<int:pk>/priorities/", views.priority_detail, name="priority-detail"),
    path("<int:pk>/priorities/weights/", views.criteria_weights, name="criteria-weights"),
    path("<int:pk>/priorities/issues/add/", views.issue_add, name="issue-add"),
    path("issues/<int:pk>/score/", views.issue_score, name="issue-score"),
    path("<int:pk>/objectives/add/", views.objective_add, name="objective-add"),
    path("<int:pk>/workplan/", views.cycle_workplan, name="cycle-workplan"),
    path("objectives/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("<int:pk>/draft/", views.draft_detail, name="draft-detail"),
    path("<int:pk>/draft/sections/add/", views.section_add, name="section-add"),
    path("sections/<int:pk>/revise/", views.section_revise, name="section-revise"),
    path("<int:pk>/consultation/", views.consultation_detail, name="consultation-detail"),
    path("<int:pk>/consultation/toggle/", views.consultation_toggle, name="consultation-toggle"),
    path("sections/<int:pk>/comment/", views.comment_add, name="comment-add"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment-resolve"),
    path("<int:pk>/transmission/", views.transmission_record, name="transmission-record"),
    path("<int:pk>/package/", views.package_request, name="package-request"),
    path("packages/<int:pk>/progress/", views.package_progress, name="package-progress"),
    path("packages/<int:pk>/download/", views.package_download, name="package-download"),
    path("steps/<int:pk>/", views.step_detail, name="step-detail"),
    path("steps/<int:pk>/plan/", views.step_update, name="step-update"),
    path("steps/<int:pk>/start/", views.step_start, name="step-start"),
    path("steps/<int:pk>/submit/", views.step_submit, name="step-submit"),
    path("steps/<int:pk>/review/", views.step_review, name="step-review"),
    path("steps/<int:pk>/approve/", views.step_approve, name="step-approve"),
    path("steps/<int:pk>/complete/", views.step_complete, name="step-complete"),
    path("steps/<int:pk>/checklist/add/", views.checklist_add, name="checklist-add"),
    path("checklist/<int:pk>/mark/", views.checklist_mark, name="checklist-mark"),
    path("steps/<int:pk>/deliverables/add/", views.deliverable_add, name="deliverable-add"),
    path("deliverables/<int:pk>/attach/", views.deliverable_attach, name="deliverable-attach"),
]
