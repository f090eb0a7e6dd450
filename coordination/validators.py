from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_letter_size(file) -> None:
    limit = settings.LETTER_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


def validate_letter_content(file) -> None:
    """A newly uploaded letter or terms of reference holds what its extension says, and no
    macros: the same check as the document library (ncm_portal.uploads.check_content). A file
    already stored is not read again."""
    import os

    from ncm_portal.uploads import check_content

    if isinstance(file, str) or (hasattr(file, "storage") and getattr(file, "_committed", True)):
        return
    upload = getattr(file, "file", None) or file
    name = os.path.basename(str(getattr(file, "name", "") or ""))
    extension = os.path.splitext(name)[1]
    try:
        check_content(upload, extension, name=name)
    except ValidationError as error:
        raise ValidationError(error.error_dict["file"]) from None
