"""The measures app's pages: catalogue (HTML and CSV), measure page, editor.

Every template and view names them `measures:<name>`; the old `portal:<name>` aliases are gone (ADR 0020)."""

from django.urls import path

from kompass.measures import views

app_name = "measures"

urlpatterns = [
    path("measures/", views.catalogue, name="catalogue"),
    path("measures/export.csv", views.catalogue_csv, name="catalogue_csv"),
    path("measures/new/", views.create, name="measure_create"),
    path("measures/<slug:slug>/", views.detail, name="measure"),
    path("measures/<slug:slug>/edit/", views.edit, name="measure_edit"),
]
