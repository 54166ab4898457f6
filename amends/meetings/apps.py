from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "amends.meetings"
    label = "meetings"
    verbose_name = "Meetings"
