from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "amends.assessments"
    label = "assessments"
    verbose_name = "Assessments"
