"""An HTTP API through which an institution's own system (a customs extract job, a laboratory
information system) pushes a file into the same pipeline as the upload page and polls its status.
Each key belongs to one institution and can push and read only that institution's datasets."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from inventories import services
from inventories.models import DatasetType, DatasetVersion


def _token(request):
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return services.token_authenticate(secret.strip())


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _version_json(request, version: DatasetVersion) -> dict:
    return {
        "id": str(version.key),
        "dataset": version.dataset_id,
        "version": version.number,
        "dataset_type": version.dataset.dataset_type,
        "period_start": version.dataset.period_start.isoformat(),
        "period_end": version.dataset.period_end.isoformat(),
        "original_name": version.original_name,
        "sha256": version.sha256,
        "size": version.size,
        "status": version.status,
        "review_status": version.review_status,
        "rows_read": version.rows_read,
        "rows_estimated": version.rows_estimated,
        "rows_accepted": version.rows_accepted,
        "rows_rejected": version.rows_rejected,
        "rows_flagged": version.rows_flagged,
        "rows_below_limit": version.rows_below_limit,
        "error": version.error_text,
        "status_url": request.build_absolute_uri(
            reverse("inventories:api-version", args=[version.key])
        ),
        "page_url": request.build_absolute_uri(version.get_absolute_url()),
    }


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give the date as YYYY-MM-DD.")}) from None


@login_not_required
@csrf_exempt
@require_POST
def dataset_push(request):
    token = _token(request)
    if token is None:
        return _error(401, _("A valid API key is required (Authorization: Bearer <key>)."))
    upload = request.FILES.get("file")
    if upload is None:
        return _error(400, _("Send the file in the multipart field “file”."))
    dataset_type = request.POST.get("dataset_type", "")
    if dataset_type not in DatasetType.values:
        return _error(
            400,
            _("dataset_type must be one of: %(types)s.") % {"types": ", ".join(DatasetType.values)},
        )
    try:
        version = services.dataset_receive(
            actor=None,
            token=token,
            institution=token.institution,
            dataset_type=dataset_type,
            period_start=_date(request.POST.get("period_start"), "period_start"),
            period_end=_date(request.POST.get("period_end"), "period_end"),
            file=upload,
            day_first=request.POST.get("day_first", "true").lower() != "false",
            decimal_comma=request.POST.get("decimal_comma", "false").lower() == "true",
            sheet=request.POST.get("sheet", ""),
            source=DatasetVersion.Source.API,
        )
    except ValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        return _error(400, " ".join(m for ms in detail.values() for m in ms), fields=detail)
    except PermissionDenied:
        return _error(403, _("This key may not push files for that institution."))
    body = _version_json(request, version)
    body["duplicate"] = version.is_duplicate
    return JsonResponse(body, status=200 if body["duplicate"] else 202)


@login_not_required
@require_GET
def version_status(request, key):
    token = _token(request)
    if token is None:
        return _error(401, _("A valid API key is required (Authorization: Bearer <key>)."))
    version = (
        DatasetVersion.objects.select_related("dataset")
        .filter(key=key, dataset__institution_id=token.institution_id)
        .first()
    )
    if version is None:
        return _error(404, _("No upload with this id for your institution."))
    return JsonResponse(_version_json(request, version))


@login_not_required
@require_GET
def openapi(request):
    base = request.build_absolute_uri(reverse("inventories:api-push")).rsplit("/datasets/", 1)[0]
    return JsonResponse(openapi_document(base), json_dumps_params={"indent": 2})


def openapi_document(server: str) -> dict:
    version_schema = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "dataset": {"type": "integer"},
            "version": {"type": "integer"},
            "dataset_type": {"type": "string", "enum": DatasetType.values},
            "period_start": {"type": "string", "format": "date"},
            "period_end": {"type": "string", "format": "date"},
            "original_name": {"type": "string"},
            "sha256": {"type": "string"},
            "size": {"type": "integer"},
            "status": {"type": "string", "enum": DatasetVersion.Status.values},
            "review_status": {"type": "string", "enum": DatasetVersion.Review.values},
            "rows_read": {"type": "integer"},
            "rows_estimated": {"type": "integer"},
            "rows_accepted": {"type": "integer"},
            "rows_rejected": {"type": "integer"},
            "rows_flagged": {"type": "integer"},
            "rows_below_limit": {"type": "integer"},
            "error": {"type": "string"},
            "status_url": {"type": "string", "format": "uri"},
            "page_url": {"type": "string", "format": "uri"},
            "duplicate": {"type": "boolean"},
        },
    }
    error = {
        "type": "object",
        "properties": {"error": {"type": "string"}, "fields": {"type": "object"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "NCM Portal dataset API",
            "version": "1",
            "description": (
                "Push customs, monitoring and inventory files into the portal's validation "
                "pipeline and follow their status. Each key belongs to one institution. The file "
                "is stored unchanged and read in the background; the same file pushed twice is "
                "recognised by its SHA-256 and not stored again."
            ),
        },
        "servers": [{"url": server}],
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Version": version_schema, "Error": error},
        },
        "security": [{"apiKey": []}],
        "paths": {
            "/datasets/": {
                "post": {
                    "summary": "Push a file",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": [
                                        "file",
                                        "dataset_type",
                                        "period_start",
                                        "period_end",
                                    ],
                                    "properties": {
                                        "file": {"type": "string", "format": "binary"},
                                        "dataset_type": {
                                            "type": "string",
                                            "enum": DatasetType.values,
                                        },
                                        "period_start": {"type": "string", "format": "date"},
                                        "period_end": {"type": "string", "format": "date"},
                                        "day_first": {"type": "boolean", "default": True},
                                        "decimal_comma": {"type": "boolean", "default": False},
                                        "sheet": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "202": {
                            "description": "Received; validation runs in the background",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Version"}
                                }
                            },
                        },
                        "200": {
                            "description": "The same file was pushed before; its upload is returned",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Version"}
                                }
                            },
                        },
                        "400": {
                            "description": "Refused input",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                        "401": {"description": "No valid key"},
                    },
                }
            },
            "/versions/{id}/": {
                "get": {
                    "summary": "Status of an upload",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The upload",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Version"}
                                }
                            },
                        },
                        "401": {"description": "No valid key"},
                        "404": {"description": "Not an upload of the key's institution"},
                    },
                }
            },
        },
    }


urlpatterns = [
    path("datasets/", dataset_push, name="api-push"),
    path("versions/<uuid:key>/", version_status, name="api-version"),
    path("openapi.json", openapi, name="api-openapi"),
]
