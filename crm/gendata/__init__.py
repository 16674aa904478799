"""Synthetic province data (``chaincrm gen-data``) for benchmarks and trials at scale."""


def init_app(app) -> None:
    from crm.gendata.cli import gen_data_command

    app.cli.add_command(gen_data_command)
