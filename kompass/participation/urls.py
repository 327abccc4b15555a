from django.urls import path

from kompass.participation import views

app_name = "participation"
urlpatterns = [
    path("ideas/", views.idea_list, name="ideas"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea"),
    path("ideas/<int:pk>/support/", views.idea_support, name="idea_support"),
    path("ideas/<int:pk>/follow/", views.idea_follow, name="idea_follow"),
    path("ideas/<int:pk>/comment/", views.idea_comment, name="idea_comment"),
    path("ideas/<int:pk>/ownership/", views.idea_ownership, name="idea_ownership"),
    path("ideas/<int:pk>/status/", views.idea_status, name="idea_status"),
    path("ideas/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("participation/guidelines/", views.guidelines, name="guidelines"),
    path("participation/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/hide/<str:kind>/<int:pk>/", views.moderation_hide, name="moderation_hide"),
    path("moderation/block/<int:pk>/", views.moderation_block, name="moderation_block"),
    path("moderation/statement/<int:pk>/", views.moderation_statement, name="moderation_statement"),
    path("moderation/report/<int:pk>/dismiss/", views.moderation_dismiss, name="moderation_dismiss"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation"),
    path("consultations/<slug:slug>/comment/", views.consultation_comment, name="consultation_comment"),
    path("consultations/<slug:slug>/follow/", views.consultation_follow, name="consultation_follow"),
    path("consultations/<slug:slug>/vote/", views.consultation_vote, name="consultation_vote"),
    path("consultations/<slug:slug>/statement/", views.consultation_statement, name="consultation_statement"),
    path("consultations/<slug:slug>/export.<str:fmt>", views.consultation_export, name="consultation_export"),
    path("consultations/<slug:slug>/map/", views.opinion_map, name="opinion_map"),
    path("consultations/<slug:slug>/map/compute/", views.opinion_map_compute, name="opinion_map_compute"),
    path("notifications/", views.notifications, name="notifications"),
]
