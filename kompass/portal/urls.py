from django.urls import path

from kompass.portal import legal, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("values/", views.values, name="values"),
    path("perspectives/", views.perspectives, name="perspectives"),
    path("principles/", views.principles, name="principles"),
    path("action-fields/", views.action_fields, name="action_fields"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
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

