from django.urls import path

from kompass.measures import views as measures
from kompass.organisations import views as organisations
from kompass.portal import legal, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("values/", views.values, name="values"),
    path("perspectives/", views.perspectives, name="perspectives"),
    path("principles/", views.principles, name="principles"),
    path("action-fields/", views.action_fields, name="action_fields"),
    path("measures/", measures.catalogue, name="catalogue"),
    path("measures/export.csv", measures.catalogue_csv, name="catalogue_csv"),
    path("measures/new/", measures.create, name="measure_create"),
    path("measures/<slug:slug>/", measures.detail, name="measure"),
    path("measures/<slug:slug>/edit/", measures.edit, name="measure_edit"),
    path("organisations/", organisations.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    path("districts/", views.districts, name="districts"),
    path("districts/<slug:slug>/", views.district, name="district"),
    path("data/", views.data, name="data"),
    path("data/schema/strategy-v1.json", views.schema_download, name="schema"),
    path("data/districts.geojson", views.districts_geojson, name="districts_geojson"),
    path("impressum/", legal.imprint, name="imprint"),
    path("datenschutz/", legal.privacy, name="privacy"),
    path("barrierefreiheit/", legal.accessibility, name="accessibility"),
    path("theme.css", legal.theme_css, name="theme_css"),
]
