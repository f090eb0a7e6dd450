"""How a dataset record's values read on a page: shared by the version page and the rows behind
a report's figure."""


def record_cell(record, name, labels=None):
    """A record's value for the page: a censored result reads “< 0.05” or “n.d.”, a coded value
    its label."""
    if name == "value" and getattr(record, "qualifier", ""):
        return record.result_label
    value = getattr(record, name)
    if labels and name in labels and value in labels[name]:
        return labels[name][value]
    return value


def value_labels(schema) -> dict:
    """The labels of a schema's coded columns, by column and code."""
    return {c.name: dict(c.choices) for c in schema.columns if c.kind == "choice"}
