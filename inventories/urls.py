from django.urls import include, path

from inventories import api, views, views_reference, views_rows

app_name = "inventories"

urlpatterns = [
    path("", views.index, name="index"),
    path("types/<str:dataset_type>/", views.type_detail, name="type-detail"),
    path("types/<str:dataset_type>/template.<str:fmt>", views.type_template, name="type-template"),
    path("upload/", views.upload, name="upload"),
    path("datasets/", views.dataset_list, name="dataset-list"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset-detail"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/progress/", views.version_progress, name="version-progress"),
    path("versions/<int:pk>/rows/", views_rows.version_rows, name="version-rows"),
    path("versions/<int:pk>/map/", views.version_map, name="version-map"),
    path("versions/<int:pk>/retry/", views.version_retry, name="version-retry"),
    path("versions/<int:pk>/confirm/", views.version_confirm, name="version-confirm-replacement"),
    path("versions/<int:pk>/review/<str:action>/", views.version_review, name="version-review"),
    path("versions/<int:pk>/rejected.csv", views.version_rejected_csv, name="version-rejected"),
    path("versions/<int:pk>/file", views.version_raw, name="version-raw"),
    path("review/", views.review_queue, name="review-queue"),
    path("schedules/", views_reference.schedule_list, name="schedule-list"),
    path("schedules/new/", views_reference.schedule_edit, name="schedule-create"),
    path("schedules/<int:pk>/edit/", views_reference.schedule_edit, name="schedule-edit"),
    path("national-codes/", views_reference.national_code_list, name="national-code-list"),
    path("national-codes/new/", views_reference.national_code_edit, name="national-code-create"),
    path(
        "national-codes/<int:pk>/edit/",
        views_reference.national_code_edit,
        name="national-code-edit",
    ),
    path("emission-factors/", views_reference.emission_factor_list, name="emission-factor-list"),
    path(
        "emission-factors/new/", views_reference.emission_factor_edit, name="emission-factor-create"
    ),
    path(
        "emission-factors/<int:pk>/edit/",
        views_reference.emission_factor_edit,
        name="emission-factor-edit",
    ),
    path(
        "emission-factors/import/",
        views_reference.emission_factor_import,
        name="emission-factor-import",
    ),
    path("api-keys/", views_reference.token_list, name="token-list"),
    path("api-keys/<int:pk>/revoke/", views_reference.token_revoke, name="token-revoke"),
    path("api/v1/", include(api.urlpatterns)),
    path("", include("inventories.urls_data")),
]
