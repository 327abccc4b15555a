from django.urls import path, register_converter

from kompass.lifecycle import views


class SpreadsheetFormat:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SpreadsheetFormat, "sheetfmt")

app_name = "lifecycle"
urlpatterns = [
    path("measures/<slug:slug>/process/", views.workspace, name="workspace"),
    path("measures/<slug:slug>/process/transition/", views.transition, name="transition"),
    path("measures/<slug:slug>/process/team/", views.team_add, name="team_add"),
    path("measures/<slug:slug>/process/team/<int:member_id>/remove/", views.team_remove, name="team_remove"),
    path("measures/<slug:slug>/process/mandate/", views.mandate, name="mandate"),
    path("measures/<slug:slug>/process/logbook/", views.logbook, name="logbook"),
    path("measures/<slug:slug>/process/milestones/", views.milestone_add, name="milestone_add"),
    path("measures/<slug:slug>/process/milestones/<int:milestone_id>/done/", views.milestone_done,
         name="milestone_done"),
    path("measures/<slug:slug>/process/lessons/", views.lesson_add, name="lesson_add"),
    path("measures/<slug:slug>/process/replication/", views.replication, name="replication"),
    path("measures/<slug:slug>/description/", views.description, name="description"),
    path("measures/<slug:slug>/description/edit/", views.description_edit, name="description_edit"),
    path("measures/<slug:slug>/description/history/", views.description_history, name="description_history"),
    path("measures/<slug:slug>/factsheet/", views.factsheet, name="factsheet"),
    path("measures/<slug:slug>/factsheet.pdf", views.factsheet_pdf, name="factsheet_pdf"),
    path("process/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("lessons/", views.lessons, name="lessons"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/new/", views.candidate_new, name="candidate_new"),
    path("candidates/<slug:slug>/", views.candidate_detail, name="candidate"),
    path("candidates/<slug:slug>/assess/", views.candidate_assess, name="candidate_assess"),
    path("candidates/<slug:slug>/decide/", views.candidate_decide, name="candidate_decide"),
    path("collaboration/", views.collaboration, name="collaboration"),
    path("office/process/", views.overview, name="overview"),
    path("office/process/spreadsheet/", views.spreadsheet, name="spreadsheet"),
    path("office/process/spreadsheet/<uuid:pk>/import/", views.spreadsheet_confirm, name="spreadsheet_confirm"),
    path("office/process/measures.<sheetfmt:fmt>", views.export, name="export"),
]
