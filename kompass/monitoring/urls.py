from django.urls import path

from kompass.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.dashboard, name="dashboard"),
    path("my-tasks/", views.my_tasks, name="my_tasks"),
    path("monitoring/overdue/", views.overdue_updates, name="overdue"),
    path("monitoring/indicators/<slug:slug>/", views.indicator, name="indicator"),
    path("monitoring/indicators/<slug:slug>/edit/", views.indicator_edit, name="indicator_edit"),
    path("monitoring/indicators/<slug:slug>/data.csv", views.indicator_csv, name="indicator_csv"),
    path("monitoring/indicators/<slug:slug>/datapackage.json", views.indicator_datapackage,
         name="indicator_datapackage"),
    path("monitoring/indicators/<slug:slug>/measurements/new/", views.measurement_add, name="measurement_add"),
    path("monitoring/measures/<slug:slug>/upload/", views.upload, name="upload"),
    path("monitoring/measures/<slug:slug>/inputs/", views.inputs_edit, name="inputs_edit"),
    path("monitoring/measures/<slug:slug>/goals/new/", views.goal_edit, name="goal_create"),
    path("monitoring/measures/<slug:slug>/goals/<slug:goal_slug>/edit/", views.goal_edit, name="goal_edit"),
    path("monitoring/measures/<slug:slug>/goals/<slug:goal_slug>/indicators/new/", views.indicator_create,
         name="indicator_create"),
    path("monitoring/cycles/", views.cycle_list, name="cycles"),
    path("monitoring/cycles/new/", views.cycle_create, name="cycle_create"),
    path("monitoring/cycles/<slug:slug>/", views.cycle, name="cycle"),
    path("monitoring/cycles/<slug:slug>/close/", views.cycle_close, name="cycle_close"),
    path("monitoring/cycles/<slug:slug>/report/", views.report, name="report"),
    path("monitoring/cycles/<slug:slug>/report/pdf/", views.report_pdf, name="report_pdf"),
    path("monitoring/cycles/<slug:slug>/measures/<slug:measure_slug>/review/", views.review, name="review"),
    path("monitoring/cycles/<slug:slug>/measures/<slug:measure_slug>/comment/", views.comment, name="comment"),
    path("monitoring/cycles/<slug:slug>/measures/<slug:measure_slug>/decision/", views.decision,
         name="decision"),
]
