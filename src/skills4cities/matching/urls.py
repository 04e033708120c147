from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from skills4cities.matching import views

app_name = "matching"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.analyse, name="analyse"),
    path("esco-skills/", views.esco_skills, name="esco-skills"),
    path("add/portfolio/", views.add_to_portfolio, name="add-portfolio"),
    path("add/self-assessment/", views.add_to_self_assessment, name="add-self-assessment"),
    path("corpus/", views.corpus, name="corpus"),
    path("corpus/<uuid:public_id>/", views.corpus_job, name="corpus-job"),
    path("corpus/<uuid:public_id>/competences.csv", views.corpus_job_csv, name="corpus-job-csv"),
]
