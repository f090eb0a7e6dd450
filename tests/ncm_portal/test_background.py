"""Background work (ingests, PDF renders) gives the CPU back between its large batches."""

import os

import pytest

from inventories.models import DatasetVersion
from ncm_portal import background, pdf
from tests.inventories.helpers import csv_bytes, customs_row, receive


@pytest.fixture
def yields(monkeypatch):
    calls = []
    monkeypatch.setattr(background, "yield_cpu", lambda: calls.append(1))
    return calls


def test_yielding_steps_back_in_the_run_queue(monkeypatch):
    called = []
    monkeypatch.setattr(os, "sched_yield", lambda: called.append(1), raising=False)
    background.yield_cpu()
    assert called == [1]


def test_without_sched_yield_a_zero_sleep_stands_in(monkeypatch):
    slept = []
    monkeypatch.delattr(os, "sched_yield", raising=False)
    monkeypatch.setattr(background.time, "sleep", slept.append)
    background.yield_cpu()
    assert slept == [0]


@pytest.mark.django_db(transaction=True)
def test_an_ingest_yields_after_each_batch(yields, monkeypatch, focal_point, institution):
    monkeypatch.setattr("inventories.ingest.read.CHUNK_BYTES", 512)  # a batch of a few rows
    content = csv_bytes([customs_row(i) for i in range(1, 41)])
    version = receive(focal_point, institution, content)
    assert version.status == DatasetVersion.Status.VALIDATED and version.rows_accepted == 40
    assert len(yields) >= len(content) // 512  # one yield for each batch read


def test_a_pdf_render_yields_between_its_steps(yields, monkeypatch):
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: "<p>Record</p>")
    assert pdf.render_pdf("ignored.html", {}).startswith(b"%PDF")
    assert len(yields) == 2
