"""The default wording of the e-mails (``MessageTemplate``), loaded by migration 0006 (which keeps
a frozen copy). Recruiters edit them in the admin; each may use only its key's variables
(``hiring.services.message_templates.VARIABLES``). Times are UTC, and say so."""

from __future__ import annotations

_WHEN = '{{ starts_at|date:"l j F Y, H:i" }} UTC'
_SIGN_OFF = "Best wishes,\n{{ controller_name }}"
_P = '<p style="margin:0 0 1em 0">'

PRIVACY_NOTICE = {
    "key": "privacy_notice",
    "subject": "How {{ controller_name }} came across your work, and your data",
    "body_text": """Hello {{ candidate_name }},

We are {{ controller_name }}. We look for people doing good machine-learning work in public, and
we came across yours. Because we did not receive your details from you, the EU General Data
Protection Regulation (Article 14) asks us to tell you what we hold and what you can do about it.
This is that notice; you do not need to reply.

Where we found you:
{% for source in sources %}- {{ source.kind }}: {{ source.title }}{% if source.url %}
  {{ source.url }}{% endif %}
{% empty %}- public professional sources
{% endfor %}
What we hold about you:
{% for item in held %}- {{ item }}
{% endfor %}
Why: to consider you for roles in our machine-learning teams and, perhaps, to contact you about
one. We rely on our legitimate interest in finding people whose published work matches what we
hire for (GDPR Art. 6(1)(f)). We do not buy data about you, and we make no automated decision
about you.

How long: {{ retention }}. After that we delete it.

Your rights (GDPR Articles 15 to 21): you may ask for a copy of the data we hold (access), have
it corrected (rectification), have it deleted (erasure), restrict how we use it, receive it in a
portable form, and object to our processing it at any time. You may also complain to your data
protection authority.

To object, so that we stop processing your data and do not contact you again, use this link:
{{ objection_url }}

For anything else, including the rights above, write to {{ controller_contact }}.

"""
    + _SIGN_OFF,
    "body_html": f"""{_P}Hello {{{{ candidate_name }}}},</p>
{_P}We are {{{{ controller_name }}}}. We look for people doing good machine-learning work in
public, and we came across yours. Because we did not receive your details from you, the EU General
Data Protection Regulation (Article 14) asks us to tell you what we hold and what you can do about
it. This is that notice; you do not need to reply.</p>
{_P}<strong>Where we found you</strong></p>
<ul>{{% for source in sources %}}
<li>{{{{ source.kind }}}}:
{{% if source.url %}}<a href="{{{{ source.url }}}}">{{{{ source.title }}}}</a>
{{% else %}}{{{{ source.title }}}}{{% endif %}}</li>
{{% empty %}}<li>public professional sources</li>{{% endfor %}}</ul>
{_P}<strong>What we hold about you</strong></p>
<ul>{{% for item in held %}}<li>{{{{ item }}}}</li>{{% endfor %}}</ul>
{_P}<strong>Why:</strong> to consider you for roles in our machine-learning teams and, perhaps,
to contact you about one. We rely on our legitimate interest in finding people whose published
work matches what we hire for (GDPR Art. 6(1)(f)). We do not buy data about you, and we make no
automated decision about you.</p>
{_P}<strong>How long:</strong> {{{{ retention }}}}. After that we delete it.</p>
{_P}<strong>Your rights</strong> (GDPR Articles 15 to 21): you may ask for a copy of the data we
hold (access), have it corrected (rectification), have it deleted (erasure), restrict how we use
it, receive it in a portable form, and object to our processing it at any time. You may also
complain to your data protection authority.</p>
{_P}<strong>To object</strong>, so that we stop processing your data and do not contact you
again: <a href="{{{{ objection_url }}}}">{{{{ objection_url }}}}</a></p>
{_P}For anything else, including the rights above, write to
<a href="mailto:{{{{ controller_contact }}}}">{{{{ controller_contact }}}}</a>.</p>
{_P}Best wishes,<br>{{{{ controller_name }}}}</p>
""",
}

TAKEHOME_LINK = {
    "key": "takehome_link",
    "subject": "Your take-home for {{ opening_title }}: {{ takehome_title }}",
    "body_text": """Hello {{ candidate_name }},

Thank you for continuing with us for {{ opening_title }}. Here is your take-home,
"{{ takehome_title }}". It is designed to take about {{ time_budget_minutes }} minutes; please do
not spend much longer than that. A focused, well-explained solution beats a sprawling one: we read
how you frame the problem, check your evaluation and explain your trade-offs as closely as we read
the final numbers.

Your personal link (the brief, any starter material, and where to upload your work):
{{ link }}

Due: {{ due_at|date:"l j F Y, H:i" }} UTC
The link works until {{ link_expires_at|date:"l j F Y, H:i" }} UTC; work uploaded after the due
time is still read, and marked late.

The link is yours alone: please do not share it. If something in the brief is unclear, or the
timing does not work for you, reply to this e-mail; we would rather move the date than have you
rush.

"""
    + _SIGN_OFF,
    "body_html": f"""{_P}Hello {{{{ candidate_name }}}},</p>
{_P}Thank you for continuing with us for {{{{ opening_title }}}}. Here is your take-home,
<strong>{{{{ takehome_title }}}}</strong>. It is designed to take about
{{{{ time_budget_minutes }}}} minutes; please do not spend much longer than that. A focused,
well-explained solution beats a sprawling one: we read how you frame the problem, check your
evaluation and explain your trade-offs as closely as we read the final numbers.</p>
{_P}<a href="{{{{ link }}}}">Open your take-home</a> (the brief, any starter material, and where
to upload your work).</p>
{_P}<strong>Due:</strong> {{{{ due_at|date:"l j F Y, H:i" }}}} UTC<br>
The link works until {{{{ link_expires_at|date:"l j F Y, H:i" }}}} UTC; work uploaded after the
due time is still read, and marked late.</p>
{_P}The link is yours alone: please do not share it. If something in the brief is unclear, or
the timing does not work for you, reply to this e-mail; we would rather move the date than have
you rush.</p>
{_P}Best wishes,<br>{{{{ controller_name }}}}</p>
""",
}

INTERVIEW_INVITATION = {
    "key": "interview_invitation",
    "subject": "Interview for {{ opening_title }}: {{ stage }}, " + _WHEN,
    "body_text": """Hello {{ candidate_name }},

We would like to invite you to the next step for {{ opening_title }}.

What: {{ stage }}
When: """
    + _WHEN
    + """
How long: {{ duration_minutes }} minutes

What it is about: {{ stage_about }}

The calendar invitation is attached. If the time does not work for you, reply to this e-mail and
we will find another. No preparation beyond what is described above is expected; if you need any
adjustment to take part comfortably, tell us and we will arrange it.

"""
    + _SIGN_OFF,
    "body_html": f"""{_P}Hello {{{{ candidate_name }}}},</p>
{_P}We would like to invite you to the next step for {{{{ opening_title }}}}.</p>
{_P}<strong>What:</strong> {{{{ stage }}}}<br>
<strong>When:</strong> {_WHEN}<br>
<strong>How long:</strong> {{{{ duration_minutes }}}} minutes</p>
{_P}<strong>What it is about:</strong> {{{{ stage_about }}}}</p>
{_P}The calendar invitation is attached. If the time does not work for you, reply to this e-mail
and we will find another. No preparation beyond what is described above is expected; if you need
any adjustment to take part comfortably, tell us and we will arrange it.</p>
{_P}Best wishes,<br>{{{{ controller_name }}}}</p>
""",
}

INTERVIEW_INVITATION_INTERVIEWER = {
    "key": "interview_invitation_interviewer",
    "subject": "You are interviewing: {{ kit_name }}, " + _WHEN,
    "body_text": """Hello {{ interviewer_name }},

You are on the panel for {{ candidate_name }} ({{ opening_title }}).

Kit: {{ kit_name }} ({{ stage }})
When: """
    + _WHEN
    + """
How long: {{ duration_minutes }} minutes

Your interviewer page has the kit's questions, the rubric and your scorecard:
{{ interviewer_url }}

Please read the kit beforehand and submit your scorecard before reading anyone else's, so the
panel's ratings stay independent. The calendar invitation is attached.
""",
    "body_html": f"""{_P}Hello {{{{ interviewer_name }}}},</p>
{_P}You are on the panel for {{{{ candidate_name }}}} ({{{{ opening_title }}}}).</p>
{_P}<strong>Kit:</strong> {{{{ kit_name }}}} ({{{{ stage }}}})<br>
<strong>When:</strong> {_WHEN}<br>
<strong>How long:</strong> {{{{ duration_minutes }}}} minutes</p>
{_P}<a href="{{{{ interviewer_url }}}}">Your interviewer page</a> has the kit's questions, the
rubric and your scorecard.</p>
{_P}Please read the kit beforehand and submit your scorecard before reading anyone else's, so the
panel's ratings stay independent. The calendar invitation is attached.</p>
""",
}

_PREVIOUS = '{{ previous_starts_at|date:"l j F Y, H:i" }} UTC'

INTERVIEW_RESCHEDULED = {
    "key": "interview_rescheduled",
    "subject": "New time for your {{ stage }} interview: " + _WHEN,
    "body_text": """Hello {{ candidate_name }},

Your {{ stage }} interview for {{ opening_title }} has moved.

Was: """
    + _PREVIOUS
    + """
Now: """
    + _WHEN
    + """
How long: {{ duration_minutes }} minutes

What it is about: {{ stage_about }}

The attached calendar update replaces the earlier invitation. If the new time does not suit you,
reply to this e-mail and we will find another.

"""
    + _SIGN_OFF,
    "body_html": f"""{_P}Hello {{{{ candidate_name }}}},</p>
{_P}Your {{{{ stage }}}} interview for {{{{ opening_title }}}} has moved.</p>
{_P}<strong>Was:</strong> <s>{_PREVIOUS}</s><br>
<strong>Now:</strong> {_WHEN}<br>
<strong>How long:</strong> {{{{ duration_minutes }}}} minutes</p>
{_P}<strong>What it is about:</strong> {{{{ stage_about }}}}</p>
{_P}The attached calendar update replaces the earlier invitation. If the new time does not suit
you, reply to this e-mail and we will find another.</p>
{_P}Best wishes,<br>{{{{ controller_name }}}}</p>
""",
}

INTERVIEW_RESCHEDULED_INTERVIEWER = {
    "key": "interview_rescheduled_interviewer",
    "subject": "Moved: {{ kit_name }} with {{ candidate_name }}, now " + _WHEN,
    "body_text": """Hello {{ interviewer_name }},

The {{ kit_name }} interview with {{ candidate_name }} ({{ opening_title }}) has moved.

Was: """
    + _PREVIOUS
    + """
Now: """
    + _WHEN
    + """
How long: {{ duration_minutes }} minutes

Your interviewer page: {{ interviewer_url }}
The attached calendar update replaces the earlier invitation.
""",
    "body_html": f"""{_P}Hello {{{{ interviewer_name }}}},</p>
{_P}The {{{{ kit_name }}}} interview with {{{{ candidate_name }}}} ({{{{ opening_title }}}}) has
moved.</p>
{_P}<strong>Was:</strong> <s>{_PREVIOUS}</s><br>
<strong>Now:</strong> {_WHEN}<br>
<strong>How long:</strong> {{{{ duration_minutes }}}} minutes</p>
{_P}<a href="{{{{ interviewer_url }}}}">Your interviewer page</a>. The attached calendar update
replaces the earlier invitation.</p>
""",
}

INTERVIEW_CANCELLED = {
    "key": "interview_cancelled",
    "subject": "Cancelled: your {{ stage }} interview on " + _WHEN,
    "body_text": """Hello {{ candidate_name }},

We have had to cancel your {{ stage }} interview for {{ opening_title }}, planned for
"""
    + _WHEN
    + """. We are sorry for the change. The attached calendar update removes it from your calendar.

We will be in touch about what happens next; if you have any question in the meantime, reply to
this e-mail.

"""
    + _SIGN_OFF,
    "body_html": f"""{_P}Hello {{{{ candidate_name }}}},</p>
{_P}We have had to cancel your {{{{ stage }}}} interview for {{{{ opening_title }}}}, planned for
{_WHEN}. We are sorry for the change. The attached calendar update removes it from your
calendar.</p>
{_P}We will be in touch about what happens next; if you have any question in the meantime, reply
to this e-mail.</p>
{_P}Best wishes,<br>{{{{ controller_name }}}}</p>
""",
}

INTERVIEW_CANCELLED_INTERVIEWER = {
    "key": "interview_cancelled_interviewer",
    "subject": "Cancelled: {{ kit_name }} with {{ candidate_name }} on " + _WHEN,
    "body_text": """Hello {{ interviewer_name }},

The {{ kit_name }} interview with {{ candidate_name }} ({{ opening_title }}), planned for
"""
    + _WHEN
    + """, is cancelled.{% if reason %}
Reason: {{ reason }}{% endif %}

The attached calendar update removes it from your calendar. There is no scorecard to write.
""",
    "body_html": f"""{_P}Hello {{{{ interviewer_name }}}},</p>
{_P}The {{{{ kit_name }}}} interview with {{{{ candidate_name }}}} ({{{{ opening_title }}}}),
planned for {_WHEN}, is cancelled.{{% if reason %}}<br>
<strong>Reason:</strong> {{{{ reason }}}}{{% endif %}}</p>
{_P}The attached calendar update removes it from your calendar. There is no scorecard to
write.</p>
""",
}

MESSAGE_TEMPLATES = [
    PRIVACY_NOTICE,
    TAKEHOME_LINK,
    INTERVIEW_INVITATION,
    INTERVIEW_INVITATION_INTERVIEWER,
    INTERVIEW_RESCHEDULED,
    INTERVIEW_RESCHEDULED_INTERVIEWER,
    INTERVIEW_CANCELLED,
    INTERVIEW_CANCELLED_INTERVIEWER,
]
