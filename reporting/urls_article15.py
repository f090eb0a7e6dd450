"""National reports, included under the namespace "reporting" at /reports/: Article 15 reports
under article15/, and every convention's list of rounds under national/<convention>/ (a report
itself, whatever its convention, is under article15/<pk>/)."""

from django.urls import path

from reporting import views_article15 as views

urlpatterns = [
    path("article15/", views.report_list, name="article15-list"),
    path("article15/rounds/<int:number>/start/", views.report_start, name="article15-start"),
    path("national/<slug:convention>/", views.report_list, name="national-report-list"),
    path(
        "national/<slug:convention>/rounds/<int:number>/start/",
        views.report_start,
        name="national-report-start",
    ),
    path("article15/<int:pk>/", views.report_detail, name="article15-detail"),
    path("article15/<int:pk>/prefill/", views.report_prefill, name="article15-prefill"),
    path("article15/<int:pk>/approve/", views.report_approve, name="article15-approve"),
    path(
        "article15/<int:pk>/submitted/",
        views.report_mark_submitted,
        name="article15-mark-submitted",
    ),
    path("article15/<int:pk>/correct/", views.report_correct, name="article15-correct"),
    path(
        "article15/<int:pk>/sections/<int:section_pk>/",
        views.section_detail,
        name="article15-section",
    ),
    path(
        "article15/<int:pk>/sections/<int:section_pk>/assign/",
        views.section_assign,
        name="article15-assign",
    ),
    path(
        "article15/<int:pk>/sections/<int:section_pk>/submit/",
        views.section_submit,
        name="article15-section-submit",
    ),
    path(
        "article15/<int:pk>/sections/<int:section_pk>/review/",
        views.section_review,
        name="article15-section-review",
    ),
    path(
        "article15/<int:pk>/questions/<int:question_pk>/answer/",
        views.answer_save,
        name="article15-answer",
    ),
    path(
        "article15/<int:pk>/questions/<int:question_pk>/group/",
        views.group_attribute,
        name="article15-group-attribute",
    ),
    path(
        "article15/<int:pk>/questions/<int:question_pk>/group/<int:attribution_pk>/withdraw/",
        views.group_attribution_withdraw,
        name="article15-group-withdraw",
    ),
]
