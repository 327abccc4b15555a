from django.urls import path

from kompass.opendata import views_pages

app_name = "opendata_pages"

urlpatterns = [
    path("lessons/other-cities/", views_pages.lessons_other, name="lessons_other"),
    path("measures/<slug:slug>/other-cities/link/", views_pages.replicate, name="replicate"),
    path("measures/<slug:slug>/other-cities/link/<int:pk>/remove/", views_pages.replication_remove,
         name="replication_remove"),
    path("data/api/", views_pages.api_reference, name="api_reference"),
]
