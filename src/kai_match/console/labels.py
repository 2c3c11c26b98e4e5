"""Plain words for stored codes, so a counsellor reads "wartet auf Kurs", not "waiting"."""

from __future__ import annotations

from kai_match.console.i18n import N_

STATUS = {
    "active": N_("active"),
    "placed": N_("placed"),
    "paused": N_("paused"),
    "archived": N_("archived"),
}
COURSE = {
    "not_started": N_("course not started"),
    "waiting": N_("waiting for a course"),
    "attending": N_("in the language course"),
    "interrupted": N_("course interrupted"),
    "completed": N_("course completed"),
}
PERMIT = {
    "unrestricted": N_("may work without restriction"),
    "permitted": N_("may work (permit)"),
    "approval_required": N_("needs the foreigners' office's approval"),
    "prohibited": N_("may not work"),
}
SHIFT = {
    "early": N_("early shift"),
    "day": N_("day shift"),
    "late": N_("late shift"),
    "night": N_("night shift"),
    "weekend": N_("weekend"),
}
PLACEMENT_TYPE = {
    "work_trial": N_("work trial"),
    "internship": N_("internship"),
    "apprenticeship": N_("apprenticeship"),
    "entry_qualification": N_("entry qualification"),
    "job": N_("job"),
}
STATE = {
    "suggested": N_("suggested"),
    "proposed": N_("proposed to the person"),
    "accepted_by_participant": N_("accepted by the person"),
    "sent_to_employer": N_("sent to the employer"),
    "trial_scheduled": N_("trial scheduled"),
    "trial_running": N_("trial running"),
    "completed": N_("trial completed"),
    "hired": N_("hired"),
    "not_hired": N_("not hired"),
    "withdrawn": N_("withdrawn"),
}
SKILL_SOURCE = {
    "self_reported": N_("self-reported"),
    "assessed": N_("assessed"),
    "certified": N_("certified"),
}
COMPONENT = {
    "language": N_("German"),
    "skills": N_("Skills"),
    "occupation": N_("Occupation"),
    "commute": N_("Commute"),
    "preferences": N_("Wishes"),
}
MODE = {
    "walk": N_("on foot"),
    "bike": N_("by bike"),
    "public_transport": N_("by bus and train"),
    "car": N_("by car"),
    "shuttle": N_("by the firm's shuttle"),
}
COMMITMENT = {
    "course": N_("course"),
    "childcare": N_("childcare"),
    "other": N_("other commitment"),
}
REASON = {
    "language": N_("German not yet sufficient"),
    "skills": N_("skills did not fit"),
    "reliability": N_("reliability"),
    "commute": N_("commute"),
    "childcare": N_("childcare"),
    "health": N_("health"),
    "participant_declined": N_("the person declined"),
    "employer_declined": N_("the employer declined"),
    "permit": N_("work permit"),
    "vacancy_filled": N_("vacancy filled otherwise"),
    "other": N_("other reason"),
    "personal": N_("personal reasons"),
}
