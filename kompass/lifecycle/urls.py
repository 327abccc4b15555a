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
    # Each section of the workspace is a page: GET shows it, POST saves its main form. A second name for the same
    # address says which one a template means (the section link or the form's action).
    path("measures/<slug:slug>/process/team/", views.team_page, name="team"),
    path("measures/<slug:slug>/process/team/", views.team_page, name="team_add"),
    path("measures/<slug:slug>/process/team/invite/", views.invite, name="invite"),
    path("measures/<slug:slug>/process/team/<int:member_id>/remove/", views.team_remove, name="team_remove"),
    path("measures/<slug:slug>/process/mandate/", views.mandate, name="mandate"),
    path("measures/<slug:slug>/process/mandate/<int:mandate_id>/edit/", views.mandate_edit, name="mandate_edit"),
    path("measures/<slug:slug>/process/mandate/<int:mandate_id>/delete/", views.mandate_delete,
         name="mandate_delete"),
    path("measures/<slug:slug>/process/logbook/", views.logbook_page, name="logbook"),
    path("measures/<slug:slug>/process/milestones/", views.plan_page, name="plan"),
    path("measures/<slug:slug>/process/milestones/", views.plan_page, name="milestone_add"),
    path("measures/<slug:slug>/process/milestones/<int:milestone_id>/done/", views.milestone_done,
         name="milestone_done"),
    path("measures/<slug:slug>/process/milestones/<int:milestone_id>/edit/", views.milestone_edit,
         name="milestone_edit"),
    path("measures/<slug:slug>/process/milestones/<int:milestone_id>/delete/", views.milestone_delete,
         name="milestone_delete"),
    path("measures/<slug:slug>/process/lessons/", views.lessons_page, name="lessons_section"),
    path("measures/<slug:slug>/process/lessons/", views.lessons_page, name="lesson_add"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
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
