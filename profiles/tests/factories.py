from profiles.models import RacerProfile, User


def make_racer(owner: User, name: str = "Racer", **fields) -> RacerProfile:
    return RacerProfile.objects.create(owner=owner, name=name, **fields)
