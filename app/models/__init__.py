"""All models, imported here so that metadata and migrations see every table."""

from app.models.accounts import Account, LoginThrottle, PengelolaKinerja, RoleGrant, UserSession
from app.models.announcements import Announcement, AnnouncementOpd, AnnouncementRead
from app.models.appraisal import Appraisal, Period
from app.models.audit import AuditEvent
from app.models.bottlenecks import MonitorReminder, MonitorReminderLatest
from app.models.cascade import RhkAssignment
from app.models.complaint import Complaint
from app.models.development import (
    DevelopmentAction,
    DevelopmentNeed,
    DevelopmentPlan,
    FollowupSetting,
    TalentAssessment,
    TrainingAttendance,
    TrainingEvent,
)
from app.models.notifications import Digest, Notice
from app.models.ops import WorkerHeartbeat
from app.models.org import ActingAssignment, Employee, Opd, Position, Unit
from app.models.orgkinerja import (
    OrgAchievement,
    OrgAchievementChange,
    OrgPredikatBand,
    OrgPredikatBandChange,
)
from app.models.outbox import OutboxMessage
from app.models.peers import PeerSurvey, PeerSurveyAnswer, PeerSurveyInvite
from app.models.pembinaan import PembinaanCase, PembinaanNote
from app.models.penetapan import PenetapanPredikat
from app.models.periods import (
    DeadlineExtension,
    Job,
    PeriodCalendarChange,
    PeriodStatusChange,
    PlanningExclusion,
    RosterImport,
)
from app.models.pk import PerjanjianKinerja, PkIndikator, PkSasaran
from app.models.pustaka import LibraryEntry, LibraryEntryChange
from app.models.rules import AppraiserRule, AppraiserRuleChange
from app.models.skm import (
    ServiceKind,
    ServiceUnit,
    SkmCommentModeration,
    SkmContact,
    SkmResponse,
)
from app.models.skp import Behaviour, DialogNote, Evidence, Iki, IkiFeedback, IkiPart, Rhk
from app.models.summary import AppraisalCount, OpenTaskCount, ProgressCount, TaskDayCount
from app.models.task import Task
from app.models.timkerja import TeamAssignment, TimKerja, TimKerjaMember

__all__ = [
    "Account",
    "ActingAssignment",
    "Announcement",
    "AnnouncementOpd",
    "AnnouncementRead",
    "Appraisal",
    "AppraisalCount",
    "AppraiserRule",
    "AppraiserRuleChange",
    "AuditEvent",
    "Behaviour",
    "Complaint",
    "DeadlineExtension",
    "DevelopmentAction",
    "DevelopmentNeed",
    "DevelopmentPlan",
    "DialogNote",
    "Digest",
    "Employee",
    "Evidence",
    "FollowupSetting",
    "Iki",
    "IkiFeedback",
    "IkiPart",
    "Job",
    "LibraryEntry",
    "LibraryEntryChange",
    "LoginThrottle",
    "MonitorReminder",
    "MonitorReminderLatest",
    "Notice",
    "Opd",
    "OpenTaskCount",
    "OrgAchievement",
    "OrgAchievementChange",
    "OrgPredikatBand",
    "OrgPredikatBandChange",
    "OutboxMessage",
    "PeerSurvey",
    "PeerSurveyAnswer",
    "PeerSurveyInvite",
    "PembinaanCase",
    "PembinaanNote",
    "PenetapanPredikat",
    "PengelolaKinerja",
    "Period",
    "PeriodCalendarChange",
    "PeriodStatusChange",
    "PerjanjianKinerja",
    "PkIndikator",
    "PkSasaran",
    "PlanningExclusion",
    "Position",
    "ProgressCount",
    "Rhk",
    "RhkAssignment",
    "RoleGrant",
    "RosterImport",
    "ServiceKind",
    "ServiceUnit",
    "SkmCommentModeration",
    "SkmContact",
    "SkmResponse",
    "TalentAssessment",
    "Task",
    "TaskDayCount",
    "TeamAssignment",
    "TimKerja",
    "TimKerjaMember",
    "TrainingAttendance",
    "TrainingEvent",
    "Unit",
    "UserSession",
    "WorkerHeartbeat",
]
