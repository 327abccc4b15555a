"""The monitoring app's views, one module per area: public indicator pages, editing by teams, evaluation cycles."""

from kompass.monitoring.views.coordination import my_tasks, overdue_updates  # noqa: F401
from kompass.monitoring.views.cycles import (  # noqa: F401
    comment,
    cycle,
    cycle_close,
    cycle_create,
    cycle_list,
    decision,
    report,
    report_pdf,
    review,
)
from kompass.monitoring.views.editing import (  # noqa: F401
    goal_edit,
    indicator_create,
    indicator_edit,
    inputs_edit,
    measurement_add,
    upload,
)
from kompass.monitoring.views.public import dashboard, indicator, indicator_csv, indicator_datapackage  # noqa: F401
