"""The demo registry runs every app's seeders, the mechanism first."""

from django.utils.module_loading import import_string

from ncm_portal import demo


def test_every_app_registers_its_seeders_in_the_order_the_demo_is_built():
    names = [seeder.name for seeder in demo.seeders()]
    assert names == [
        "coordination.mechanism",
        "inventories.datasets",
        "inventories.basel",
        "coordination.scale",
        "inventories.customs",
        "nip_lifecycle.cycles",
        "coordination.focal_points",
        "reporting.reports",
    ]
    for seeder in demo.seeders():
        assert callable(import_string(seeder.seed))
