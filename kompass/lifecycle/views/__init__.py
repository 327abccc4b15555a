"""The lifecycle app's views, one module per area: the team workspace, the description and fact sheet,
the selection of candidates, and the office pages."""

from kompass.lifecycle.views._common import by_method
from kompass.lifecycle.views.description import (  # noqa: F401
    description,
    description_edit,
    description_history,
    factsheet,
    factsheet_pdf,
    lessons,
)
from kompass.lifecycle.views.office import (  # noqa: F401
    collaboration,
    export,
    overview,
    spreadsheet,
    spreadsheet_confirm,
    spreadsheets_max_bytes,
)
from kompass.lifecycle.views.plan import mandate_delete, mandate_edit, milestone_delete, milestone_edit  # noqa: F401
from kompass.lifecycle.views.selection import (  # noqa: F401
    candidate_assess,
    candidate_decide,
    candidate_detail,
    candidate_list,
    candidate_new,
)
from kompass.lifecycle.views.team import invitation, invite  # noqa: F401
from kompass.lifecycle.views.workspace import (  # noqa: F401
    attachment,
    lesson_add,
    lessons_section,
    logbook,
    logbook_section,
    mandate,
    milestone_add,
    milestone_done,
    plan_section,
    replication,
    team_add,
    team_remove,
    team_section,
    transition,
    workspace,
)

# The workspace's sections: one address each, GET shows the section, POST saves its form.
team_page = by_method(team_section, team_add)
plan_page = by_method(plan_section, milestone_add)
logbook_page = by_method(logbook_section, logbook)
lessons_page = by_method(lessons_section, lesson_add)
