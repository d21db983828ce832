"""The numbers the synthetic field is built from, with where each one comes from.

Figures marked *DOMAIN* are from ``shared/DOMAIN.md`` ("Numbers for realistic
synthetic data"); the others are plausible choices that make the figures marked
*DOMAIN* come out right (``handover.generate.realism`` measures them), or that give
every finding of docs/findings.md §5 something to find.
"""

from __future__ import annotations

__all__ = [
    "CITY_SHARE", "TOWN_SHARE", "USERS_PER_CITY_DISTRICT", "USERS_PER_TOWN",
    "USERS_PER_SMALL_MUNICIPALITY", "PREVALENT_SHARE", "HISTORY_YEARS", "EARLIEST_YEARS",
    "NAV_SHARE", "NAV_LEAVE_SHARE", "LAR_SHARE", "DEATHS_PER_YEAR",
    "CASELOAD", "STAFF_TENURE_YEARS", "SICK_LEAVES_PER_YEAR", "SICK_LEAVE_DAYS",
    "REDISTRIBUTIONS_PER_YEAR", "REORGANISATION_CHANCE_PER_YEAR", "PROJECT_POST_SHARE",
    "HIGH_NEED_SHARE", "COURSES_PER_YEAR", "COURSE_KINDS", "INPATIENT_DISCHARGE",
    "SOCIAL_ASSISTANCE_DAYS", "BETWEEN_ASSISTANCE_DAYS",
    "TSB_IP_SHARE", "PRIVATE_IP_SHARE", "TSB_IP_LEFT_OPEN", "MUNICIPAL_IP_SHARE",
    "MUNICIPAL_IP_AFTER_DISCHARGE", "ACTIVITY_PLAN_SHARE", "DORMANT_SHARE",
    "FOLLOW_UP_DELAY", "CONTACTS_PER_YEAR",
]

# --- the region -------------------------------------------------------------------------

#: Shares of users living in the big city and in towns; the rest live in small
#: municipalities.
CITY_SHARE, TOWN_SHARE = 0.45, 0.35
#: One NAV district office per this many users in the big city (an Oslo district
#: office follows 500+ substance-dependent users, DOMAIN).
USERS_PER_CITY_DISTRICT = 600
USERS_PER_TOWN = 500
#: A small municipality follows a handful to a few dozen users with a one- or
#: two-person substance-use service (2.5 posts for 3-7 users, DOMAIN).
USERS_PER_SMALL_MUNICIPALITY = 25

# --- the population ---------------------------------------------------------------------

#: Users already followed when the period starts; their history begins up to
#: HISTORY_YEARS earlier. The others enter during the period.
PREVALENT_SHARE, HISTORY_YEARS = 0.55, 2
#: Long relationships (LAR, the GP) may have started up to this many years before
#: the period; nothing starts earlier.
EARLIEST_YEARS = 6
#: Users followed by a NAV caseworker; of those, the share whose follow-up ends.
NAV_SHARE, NAV_LEAVE_SHARE = 0.88, 0.12
#: Users in opioid substitution treatment (LAR): 53 of 82 IP users at one NAV
#: office (DOMAIN) are in LAR, so LAR users are many among the most followed.
LAR_SHARE = 0.12
#: Deaths per user-year (overdose mortality in this population is 1-2 % a year;
#: fewer here, as most users are in treatment).
DEATHS_PER_YEAR = 0.006

# --- staff ------------------------------------------------------------------------------

#: Users per staff member, by team (DOMAIN: caseworker 70-80, LAR consultant 170-180,
#: TSB social worker about 7).
CASELOAD = {
    "nav": 75, "nav_lar": 175, "tsb_inpatient": 7, "tsb_outpatient": 35, "tsb_lar": 60,
    "dps": 30, "private": 6, "municipal_health": 15, "housing": 150, "gp": 20,
    "allocation": 40, "ngo": 40,
}
#: Mean time a staff member holds a post.
STAFF_TENURE_YEARS = 5.0
#: Sick leaves per staff member and year, and their length in days.
SICK_LEAVES_PER_YEAR, SICK_LEAVE_DAYS = 0.3, (14, 120)
#: Caseload redistributions per user-year, and the chance that an office is
#: reorganised in a year. With staff leaving, sick leave and project posts this
#: gives 2-3 caseworker changes a year (DOMAIN).
REDISTRIBUTIONS_PER_YEAR = 2.0
REORGANISATION_CHANCE_PER_YEAR = 0.2
#: Share of NAV posts that are time-limited project posts (DOMAIN, from 003).
PROJECT_POST_SHARE = 0.1

# --- treatment --------------------------------------------------------------------------

#: Share of users with high treatment needs, and courses of treatment per year for
#: high- and low-need users.
HIGH_NEED_SHARE = 0.25
COURSES_PER_YEAR = {"high": 0.45, "low": 0.04}
#: What a course of treatment is, and how often.
COURSE_KINDS = {
    "detox_only": 0.20,
    "detox_inpatient": 0.33,      # detox, transferred the same or next day to inpatient
    "inpatient": 0.15,
    "detox_residential": 0.10,    # detox, then a long stay at a private institution
    "dps_inpatient": 0.07,
    "outpatient": 0.15,
}
#: How inpatient stays end: (share, shortest days, longest days). The standard stay
#: is three months (DOMAIN); drop-outs leave early.
INPATIENT_DISCHARGE = {
    "planned": (0.65, 70, 110),
    "unplanned": (0.30, 5, 70),
    "transfer": (0.05, 20, 90),
}
#: Social assistance lasts 5.3 months on average (DOMAIN, from 002), with breaks.
SOCIAL_ASSISTANCE_DAYS, BETWEEN_ASSISTANCE_DAYS = 160, 80

# --- plans ------------------------------------------------------------------------------

#: TSB inpatients with an individual plan (189 of 220, DOMAIN), and the share at
#: private institutions.
TSB_IP_SHARE, PRIVATE_IP_SHARE = 0.86, 0.6
#: TSB individual plans nobody closes at discharge: they lie in a drawer.
TSB_IP_LEFT_OPEN = 0.45
#: NAV users with a municipal individual plan of their own (together with the TSB
#: plans about 16 % of NAV users have one, DOMAIN).
MUNICIPAL_IP_SHARE = 0.04
#: After a discharge from a stay with a TSB plan, the municipality takes the plan
#: over this often.
MUNICIPAL_IP_AFTER_DISCHARGE = 0.4
#: NAV users with an activity plan at NAV.
ACTIVITY_PLAN_SHARE = 0.55
#: Open individual plans whose last revision lies long back.
DORMANT_SHARE = 0.4

# --- contacts ---------------------------------------------------------------------------

#: The first municipal contact after a discharge: (share, first day, last day);
#: ``None`` means no planned follow-up (routine contacts may still come).
FOLLOW_UP_DELAY = (
    (0.10, 0, 0),     # the same day, which HEDIS-style measures do not count
    (0.40, 1, 7),
    (0.22, 8, 30),
    (0.28, None, None),
)
#: Routine contacts per year with the person holding a role.
CONTACTS_PER_YEAR = {
    "caseworker": 4.0, "coordinator": 3.0, "gp": 2.5, "therapist": 12.0,
    "housing_support": 12.0, "contact": 4.0, "low_threshold": 10.0,
}
