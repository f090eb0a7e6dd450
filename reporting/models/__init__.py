from .article15 import (
    Answer,
    GroupAttribution,
    Question,
    Report,
    ReportEvent,
    ReportOutput,
    Round,
    Section,
    SectionAssignment,
)

__all__ = [
    "Answer",
    "GroupAttribution",
    "Question",
    "Report",
    "ReportEvent",
    "ReportOutput",
    "Round",
    "Section",
    "SectionAssignment",
]
