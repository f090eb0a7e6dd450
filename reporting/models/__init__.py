from .article15 import (
    Answer,
    GroupAttribution,
    NationalReport,
    Question,
    Report,
    Round,
    Section,
    SectionAssignment,
)
from .obligations import ObligationEvent, ObligationInstance
from .rotterdam import ExportNotification, ImportResponse
from .trail import ReportEvent, ReportOutput

__all__ = [
    "Answer",
    "ExportNotification",
    "GroupAttribution",
    "ImportResponse",
    "NationalReport",
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
