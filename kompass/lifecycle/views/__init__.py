"""The lifecycle app's views, one module per area: the team workspace, the description and fact sheet,
the selection of candidates, and the office pages."""

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
from kompass.lifecycle.views.selection import (  # noqa: F401
    candidate_assess,
    candidate_decide,
    candidate_detail,
    candidate_list,
    candidate_new,
)
from kompass.lifecycle.views.workspace import (  # noqa: F401
    attachment,
    lesson_add,
    logbook,
    mandate,
    milestone_add,
    milestone_done,
    replication,
    team_add,
    team_remove,
    transition,
    workspace,
)
