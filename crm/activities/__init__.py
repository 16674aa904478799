"""Module package; ``init_app`` registers its blueprints, navigation and CLI."""


def init_app(app) -> None:
    pass
