"""bench/profile_pages.py splits a request's time into SQL, templates and the rest."""

import importlib.util
from pathlib import Path

from django.db import connection
from django.urls import reverse

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "profile_pages.py"


def _module():
    spec = importlib.util.spec_from_file_location("profile_pages", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_split_counts_queries_and_template_time(client, secretariat):
    profile_pages = _module()
    client.force_login(secretariat)
    split = profile_pages.Split()
    with profile_pages.timed_templates([split]), connection.execute_wrapper(split.execute):
        response = client.get(reverse("coordination:institution-list"))
    assert response.status_code == 200
    assert split.queries > 0 and split.sql > 0
    assert split.templates > 0
    assert split.depth == 0
    assert 0 <= split.sql_in_templates <= split.sql
