"""The endorsement package: requested by the secretariat, rendered by a Celery task through the
portal's one PDF renderer, stored with its hash and size."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from coordination.models import User
from nip_lifecycle import permissions as perms
from nip_lifecycle.models import Cycle, EndorsementPackage

from .events import record_event

Status = EndorsementPackage.Status


@transaction.atomic
def package_request(*, actor: User, cycle: Cycle) -> EndorsementPackage:
    from nip_lifecycle import tasks

    perms.require(perms.can_manage_cycle(actor, cycle))
    package = EndorsementPackage.objects.create(cycle=cycle, requested_by=actor)
    record_event(cycle, "package_requested", actor=actor, package=package.pk)
    pk = package.pk
    transaction.on_commit(lambda: tasks.endorsement_package_render.delay(pk))
    return package


def _progress(package_id: int, percent: int) -> None:
    EndorsementPackage.objects.filter(pk=package_id, status=Status.RENDERING).update(
        progress=percent
    )


def package_render(*, package_id: int) -> EndorsementPackage:
    """Render a queued package. Idempotent: only the run that moves it from queued to rendering
    works; a second run, or a retry after it is ready, changes nothing. Progress is written as it
    goes (outside one transaction, so the page sees it)."""
    from ncm_portal.pdf import render_pdf, sha256
    from nip_lifecycle.selectors import package_context

    claimed = EndorsementPackage.objects.filter(pk=package_id, status=Status.QUEUED).update(
        status=Status.RENDERING, progress=5
    )
    package = EndorsementPackage.objects.select_related("cycle").get(pk=package_id)
    if not claimed:
        return package
    try:
        context = package_context(package.cycle)
        _progress(package_id, 30)
        pdf = render_pdf("nip_lifecycle/package_pdf.html", context)
        _progress(package_id, 80)
        digest = sha256(pdf)
        with transaction.atomic():
            package = EndorsementPackage.objects.select_for_update().get(pk=package_id)
            package.file.save(
                f"nip-{package.cycle_id}-package-{package.pk}-{digest[:12]}.pdf",
                ContentFile(pdf),
                save=False,
            )
            package.sha256, package.size = digest, len(pdf)
            package.status, package.progress = Status.READY, 100
            package.rendered_at = timezone.now()
            package.save(
                update_fields=["file", "sha256", "size", "status", "progress", "rendered_at"]
            )
            record_event(
                package.cycle, "package_rendered", package=package.pk, sha256=digest, size=len(pdf)
            )
    except OSError:
        # Transient (storage, fonts): back in the queue, so that the task's retry renders it.
        EndorsementPackage.objects.filter(pk=package_id).update(status=Status.QUEUED, progress=0)
        raise
    except Exception as error:  # the page shows what went wrong
        EndorsementPackage.objects.filter(pk=package_id).update(
            status=Status.FAILED, error=str(error)[:2000]
        )
        raise
    return package
