from datetime import date
from decimal import Decimal

import pytest

from crm.core.db import db


@pytest.fixture
def land_ids(app, world):
    """In each of counties A and B: a park with a 标准地 parcel, a plain supplied parcel, a
    carrier, a signed project and a 亩均 record. Answers the ids by county."""
    from crm.core.tenancy import system_scope
    from crm.land import services
    from crm.projects.models import Project

    ids = {}
    with app.app_context(), system_scope():
        for key, county in (("a", world.county_a), ("b", world.county_b)):
            park = services.save_park(county, {"name": f"{key}开发区", "kind": "development_zone"})
            standard = services.save_parcel(
                park,
                {
                    "code": "S-1",
                    "area_mu": Decimal(50),
                    "status": "supplied",
                    "standard": True,
                    "supplied_on": date(2026, 3, 1),
                    "investment_intensity_wan": Decimal(300),
                    "output_per_mu_wan": Decimal(500),
                    "tax_per_mu_wan": Decimal(25),
                    "plot_ratio": Decimal("1.2"),
                    "energy_per_output": Decimal("0.05"),
                    "grid_row": 0,
                    "grid_col": 0,
                },
            )
            plain = services.save_parcel(
                park,
                {
                    "code": "P-1",
                    "area_mu": Decimal(20),
                    "status": "planned",
                    "grid_row": 0,
                    "grid_col": 1,
                    "approved_on": date(2025, 6, 1),
                },
            )
            carrier = services.save_carrier(
                park,
                {
                    "name": "3号标准厂房",
                    "floor_area_m2": Decimal(5000),
                    "vacant_area_m2": Decimal(1200),
                    "industries": "新能源汽车、装备制造",
                },
            )
            project = Project(
                name=f"{key}县电池项目",
                county_id=county,
                owner_id=world.ids[f"{key}_staff"],
                stage="signed",
                signed_on=date(2026, 2, 1),
                contract_no=f"{key}-01",
            )
            db.session.add(project)
            db.session.flush()
            record = services.save_efficiency_record(
                county,
                {
                    "park": park,
                    "year": 2025,
                    "firm_name": f"{key}县宏达机械",
                    "land_mu": Decimal(10),
                    "value_added_wan": Decimal(500),
                    "tax_wan": Decimal(100),
                    "energy_tce": Decimal(100),
                    "employees": 20,
                },
            )
            ids[key] = {
                "park": park.id,
                "standard": standard.id,
                "plain": plain.id,
                "carrier": carrier.id,
                "project": project.id,
                "record": record.id,
            }
        db.session.commit()
    return ids
