"""The chain domain: chains, segments, supply links, chain firms and the gap graph."""


def init_app(app) -> None:
    pass
