"""Open-data URLs outside the language prefix: harvesters and clients see one stable address per resource."""

from django.urls import path, re_path

from kompass.opendata import ckan, views

app_name = "opendata"

urlpatterns = [
    path("catalog", views.catalog_negotiated, name="catalog"),
    re_path(r"^catalog\.(?P<fmt>ttl|jsonld|rdf)$", views.catalog_file, name="catalog_file"),
    path("opendata/open-sdg.zip", views.opensdg_zip, name="opensdg_zip"),
    path("opendata/<slug:key>.json", views.dataset_json, name="dataset_json"),
    path("opendata/<slug:key>.geojson", views.dataset_geojson, name="dataset_geojson"),
    path("opendata/<slug:key>/datapackage.json", views.datapackage, name="datapackage"),
    path("opendata/<slug:key>/<slug:table>.csv", views.table_csv, name="table_csv"),
    path("api/3/action/<str:action>", ckan.action, name="ckan_action"),
    path("api/action/<str:action>", ckan.action, name="ckan_action_unversioned"),
    path("api/3", ckan.api_root, name="ckan_root"),
]
