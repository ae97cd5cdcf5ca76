from django.urls import path, re_path

from sims import views

urlpatterns = [
    # The public directory (ENABLE_PUBLIC_PROFILES).
    path("profiles/", views.sim_profile_browse, name="sim_profile_browse"),
    path("profiles/search/", views.sim_profile_search, name="sim_profile_search"),
    path("profiles/events/<int:pk>/", views.sim_event_detail, name="sim_event_detail"),
    path("profiles/<slug:simulator_slug>/", views.simulator_profiles, name="simulator_profiles"),
    path(
        "profiles/<slug:simulator_slug>/<str:profile_identifier>/",
        views.sim_profile_detail,
        name="sim_profile_detail",
    ),
    # Managing my sim profiles.
    path("users/profile/sim-profiles/", views.my_sim_profiles, name="my_sim_profiles"),
    path("users/profile/sim-profiles/search/", views.my_sim_profile_search, name="my_sim_profile_search"),
    path("users/profile/sim-profiles/add/", views.sim_profile_add, name="sim_profile_add"),
    path(
        "users/profile/sim-profiles/add-requests/<int:pk>/cancel/",
        views.sim_add_request_cancel,
        name="sim_add_request_cancel",
    ),
    path("users/profile/sim-profiles/<uuid:pk>/link/", views.sim_profile_link, name="sim_profile_link"),
    path("users/profile/sim-profiles/<uuid:pk>/unlink/", views.sim_profile_unlink, name="sim_profile_unlink"),
    path(
        "users/profile/sim-profiles/<uuid:pk>/visibility/",
        views.sim_profile_visibility,
        name="sim_profile_visibility",
    ),
    path("users/profile/sim-profiles/<uuid:pk>/verify/", views.sim_profile_verify, name="sim_profile_verify"),
    # The old addresses, kept working for bookmarks and links out there.
    re_path(r"^users/sim-profiles/(?P<rest>.*)$", views.legacy_redirect, name="sim_profiles_legacy"),
]
