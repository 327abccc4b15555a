from django.urls import path

from kompass.lottery import views

app_name = "lottery"
urlpatterns = [
    path("stadtgremium/", views.index, name="index"),
    path("stadtgremium/register/", views.register, name="register"),
    path("stadtgremium/office/", views.office, name="office"),
    path("stadtgremium/<slug:slug>/", views.panel_public, name="panel"),
    path("stadtgremium/<slug:slug>/lottery.json", views.lottery_json, name="lottery_json"),
    path("stadtgremium/<slug:slug>/audit/", views.audit, name="audit"),
    path("stadtgremium/<slug:slug>/verification.zip", views.verification_bundle, name="verification"),
    path("stadtgremium/<slug:slug>/audit.pdf", views.audit_pdf, name="audit_pdf"),
    path("stadtgremium/<slug:slug>/manage/", views.manage, name="manage"),
    path("stadtgremium/<slug:slug>/manage/invitations/", views.invitations_draw, name="invitations_draw"),
    path("stadtgremium/<slug:slug>/manage/invitations.csv", views.invitations_csv, name="invitations_csv"),
    path("stadtgremium/<slug:slug>/manage/import/", views.respondents_import, name="import"),
    path("stadtgremium/<slug:slug>/manage/quotas/", views.quotas, name="quotas"),
    path("stadtgremium/<slug:slug>/manage/select/", views.select, name="select"),
    path("stadtgremium/<slug:slug>/manage/publish-hash/", views.hash_publish, name="hash_publish"),
    path("stadtgremium/<slug:slug>/manage/draw/", views.draw, name="draw"),
    path("stadtgremium/<slug:slug>/manage/publish/", views.publish, name="publish"),
    path("stadtgremium/<slug:slug>/manage/replace/", views.replace, name="replace"),
    path("stadtgremium/<slug:slug>/manage/group/", views.group, name="group"),
    path("stadtgremium/<slug:slug>/manage/purge/", views.purge, name="purge"),
    path("stadtgremium/<slug:slug>/manage/respondents/", views.respondents, name="respondents"),
    path("stadtgremium/<slug:slug>/manage/respondents/<str:pseudonym>.json", views.respondent_export,
         name="respondent_export"),
]
