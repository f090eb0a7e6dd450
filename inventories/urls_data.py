"""Pages that show what accepted inventory data says; included under /inventories/ in the
"inventories" namespace by inventories/urls.py."""

from django.urls import path

from inventories import views_data

urlpatterns = [
    path("data/customs/", views_data.customs, name="data-customs"),
    path("data/customs/lines/", views_data.customs_lines, name="data-customs-lines"),
    path("data/monitoring/", views_data.monitoring, name="data-monitoring"),
    path("data/pcb/", views_data.pcb, name="data-pcb"),
    path("data/releases/", views_data.releases, name="data-releases"),
    path("data/waste-movements/", views_data.waste_movements, name="data-waste-movements"),
    path("chemicals/", views_data.chemical_list, name="chemical-list"),
    path("chemicals/<slug:slug>/", views_data.chemical_detail, name="chemical-detail"),
    path("hs-codes/", views_data.hs_code_list, name="hs-code-list"),
]
