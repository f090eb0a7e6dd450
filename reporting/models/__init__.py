from .article15 import (
    Answer,
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
    "Question",
    "Report",
    "ReportEvent",
    "ReportOutput",
    "Round",
    "Section",
    "SectionAssignment",
]
