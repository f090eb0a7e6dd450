from django.urls import path

from coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("institutions/", views.institution_list, name="institution-list"),
    path("institutions/new/", views.institution_create, name="institution-create"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/edit/", views.institution_update, name="institution-update"),
    path("institutions/<int:pk>/people/new/", views.person_create, name="person-create"),
    path(
        "institutions/<int:pk>/designations/new/",
        views.designation_create,
        name="designation-create",
    ),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person-update"),
    path("designations/<int:pk>/end/", views.designation_end, name="designation-end"),
    path("designations/<int:pk>/letter/", views.designation_letter, name="designation-letter"),
    path("bodies/", views.body_list, name="body-list"),
    path("bodies/new/", views.body_create, name="body-create"),
    path("bodies/<int:pk>/", views.body_detail, name="body-detail"),
    path("bodies/<int:pk>/edit/", views.body_update, name="body-update"),
    path(
        "bodies/<int:pk>/terms-of-reference/",
        views.body_terms_of_reference,
        name="body-terms-of-reference",
    ),
    path("bodies/<int:pk>/members/new/", views.membership_create, name="membership-create"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("memberships/<int:pk>/role/", views.membership_change_role, name="membership-role"),
    path("memberships/<int:pk>/letter/", views.membership_letter, name="membership-letter"),
    path("conventions/", views.convention_list, name="convention-list"),
    path("mandates/", views.mandate_matrix, name="mandate-matrix"),
]
