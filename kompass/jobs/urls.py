from django.urls import path

from kompass.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
    path("<uuid:pk>/retry/", views.job_retry_view, name="retry"),
]
