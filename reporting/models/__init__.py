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
from .obligations import ObligationEvent, ObligationInstance
from .rotterdam import ExportNotification, ImportResponse

__all__ = [
    "Answer",
    "ExportNotification",
    "GroupAttribution",
    "ImportResponse",
    "ObligationEvent",
    "ObligationInstance",
    "Question",
    "Report",
    "ReportEvent",
    "ReportOutput",
    "Round",
    "Section",
    "SectionAssignment",
]
