"""Server-rendered pages: the interviewer's (sign-in, my interviews, interview with kit and
scorecard, blind grading, verdict) and the candidate's take-home link. Views parse input, check
access through ``interviews.permissions`` and call services; they hold no rules."""
