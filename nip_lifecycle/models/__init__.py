from .assessment import (
    SCORE_MAX,
    ActionPlanItem,
    ConsultationComment,
    DraftSection,
    DraftSectionVersion,
    Objective,
    PriorityCriterion,
    PriorityIssue,
    PriorityScore,
)
from .cycles import TRANSMISSION_YEARS, Cycle, CycleAmendment, ReferenceAmendment, add_years
from .package import EndorsementPackage
from .steps import ChecklistItem, CycleEvent, Deliverable, Step, StepTemplate, TechnicalReview

__all__ = [
    "SCORE_MAX",
    "TRANSMISSION_YEARS",
    "ActionPlanItem",
    "ChecklistItem",
    "ConsultationComment",
    "Cycle",
    "CycleAmendment",
    "CycleEvent",
    "Deliverable",
    "DraftSection",
    "DraftSectionVersion",
    "EndorsementPackage",
    "Objective",
    "PriorityCriterion",
    "PriorityIssue",
    "PriorityScore",
    "ReferenceAmendment",
    "Step",
    "StepTemplate",
    "TechnicalReview",
    "add_years",
]
