"""Which file column holds which schema column, and which coded values still need a meaning:
guessed from exact names, remembered per institution and type, asked for otherwise."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import override

from inventories.ingest.cells import choice_lookup
from inventories.models import ColumnMapping, DatasetVersion
from inventories.schemas import Schema, normalise_header

SAMPLE_ROWS = 2_000  # rows read to find coded values that need mapping


def auto_map(schema: Schema, headers: list[str]) -> dict[str, int]:
    """Schema column → file column index, for headers that match a column's name, label or alias."""
    index = {}
    for position, header in enumerate(headers):
        index.setdefault(normalise_header(header), position)
    mapping = {}
    for column in schema.columns:
        names = [column.name, str(column.label), *column.aliases]
        with override("en"):
            names.append(str(column.label))
        for name in names:
            position = index.get(normalise_header(name))
            if position is not None and position not in mapping.values():
                mapping[column.name] = position
                break
    return mapping


def resolve_mapping(version: DatasetVersion, schema: Schema) -> tuple[dict[str, int], list[str]]:
    """The file column of each schema column (explicit map first, then names), and the required
    columns that are still missing."""
    headers = version.headers
    positions = {h: i for i, h in reversed(list(enumerate(headers)))}
    mapping = auto_map(schema, headers)
    for name, header in (version.column_map or {}).items():
        if header in positions:
            mapping[name] = positions[header]
        elif header == "":
            mapping.pop(name, None)
    missing = [c.name for c in schema.required if c.name not in mapping]
    return mapping, missing


def saved_mapping(version: DatasetVersion) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(
        institution_id=version.dataset.institution_id, dataset_type=version.dataset.dataset_type
    ).first()


SAMPLE_VALUES = 4


def samples(table, width: int, rows: int = 50) -> list[list[str]]:
    """A few distinct values of each file column, from its first rows, shown beside the choice
    of what the column holds."""
    found: list[list[str]] = [[] for _ in range(width)]
    for count, (_row, cells) in enumerate(table.rows()):
        if count >= rows:
            break
        for position, cell in enumerate(cells[:width]):
            text = cell.strip()[:40]
            if text and text not in found[position] and len(found[position]) < SAMPLE_VALUES:
                found[position].append(text)
    return found


def values_to_map(table, schema: Schema, mapping: dict[str, int], value_map: dict) -> dict:
    """Values of coded columns, in the first rows, that neither the schema nor the mapping knows."""
    coded = [c for c in schema.columns if c.kind == "choice" and c.name in mapping]
    if not coded:
        return {}
    lookups = {c.name: choice_lookup(c, value_map.get(c.name, {})) for c in coded}
    decided = {
        name: {normalise_header(v) for v in values} for name, values in value_map.items()
    }  # values the uploader already mapped, or chose to have rejected
    unknown: dict[str, set[str]] = defaultdict(set)
    for count, (_row, cells) in enumerate(table.rows()):
        if count >= SAMPLE_ROWS:
            break
        for column in coded:
            position = mapping[column.name]
            text = cells[position].strip() if position < len(cells) else ""
            if not text:
                continue
            if lookups[column.name](text) is None:
                if normalise_header(text) in decided.get(column.name, ()):
                    continue
                if len(unknown[column.name]) < 50:
                    unknown[column.name].add(text[:60])
    return {name: sorted(values) for name, values in unknown.items()}
