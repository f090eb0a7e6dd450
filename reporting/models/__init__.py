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

__all__ = [
    "Answer",
    "GroupAttribution",
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
